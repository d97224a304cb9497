#include "config/yaml_value.hpp"

#include <set>

#include "config/env_expand.hpp"
#include "config/scalar_type.hpp"

namespace nebula::host {
namespace {

// "!" is yaml-cpp's tag for quoted and block scalars; "?" for plain ones.
bool is_string_tagged(const YAML::Node& node) {
  return node.Tag() == "!" || node.Tag() == "tag:yaml.org,2002:str";
}

}  // namespace

std::optional<ScalarValue> read_scalar(const YAML::Node& node, ParseContext& ctx) {
  if (!node.IsScalar()) return ScalarValue{"", nullptr};
  EnvExpansion expanded = expand_env(node.Scalar(), ctx.env());
  if (!expanded.errors.empty()) {
    for (auto& error : expanded.errors) ctx.report(node.Mark(), std::move(error));
    return std::nullopt;
  }
  nlohmann::json typed = is_string_tagged(node) ? nlohmann::json(expanded.text)
                                                : typed_plain_scalar(expanded.text);
  return ScalarValue{std::move(expanded.text), std::move(typed)};
}

namespace {

// One conversion's limits. yaml-cpp resolves an alias to the anchored node
// itself, so "&a [*a]" is a sequence that contains itself and a few lines of
// aliases of aliases expand to billions of values: without these the walk
// below overflows the stack or runs out of memory (fuzz/targets/pipeline_yaml.cpp
// found the first). No real configuration comes near either limit.
class Conversion {
 public:
  explicit Conversion(ParseContext& ctx) : ctx_(ctx) {}

  nlohmann::json convert(const YAML::Node& node, int depth) {
    if (stopped_) return nullptr;
    // Checked at containers, so the issue points at the one that nests too
    // deep (for an alias loop: the anchored node), not at a value inside it.
    if ((node.IsSequence() || node.IsMap()) && depth >= kMaxYamlNesting) {
      return stop(node, "values nest deeper than " + std::to_string(kMaxYamlNesting) +
                            " levels here (an alias inside the node it names?)");
    }
    if (++values_ > kMaxYamlValues) {
      return stop(node, "this configuration expands to more than " + std::to_string(kMaxYamlValues) +
                            " values (aliases repeating aliases?)");
    }
    if (node.IsSequence()) {
      nlohmann::json out = nlohmann::json::array();
      for (const auto& item : node) out.push_back(convert(item, depth + 1));
      return out;
    }
    if (node.IsMap()) return convert_map(node, depth);
    auto scalar = read_scalar(node, ctx_);
    return scalar ? scalar->typed : nlohmann::json(nullptr);
  }

 private:
  nlohmann::json convert_map(const YAML::Node& node, int depth) {
    nlohmann::json out = nlohmann::json::object();
    std::set<std::string> seen;
    for (const auto& entry : node) {
      if (!entry.first.IsScalar()) {
        ctx_.report(entry.first.Mark(), "mapping keys must be plain strings, got " + describe_value(entry.first));
        continue;
      }
      const std::string& key = entry.first.Scalar();
      if (!seen.insert(key).second) {
        ctx_.report(entry.first.Mark(), "duplicate key '" + key + "'");
        continue;
      }
      out[key] = convert(entry.second, depth + 1);
    }
    return out;
  }

  // Reports once; the rest of the walk then returns nulls without looking.
  nlohmann::json stop(const YAML::Node& node, std::string message) {
    stopped_ = true;
    ctx_.report(node.Mark(), std::move(message));
    return nullptr;
  }

  ParseContext& ctx_;
  size_t values_ = 0;
  bool stopped_ = false;
};

}  // namespace

nlohmann::json yaml_to_json(const YAML::Node& node, ParseContext& ctx) { return Conversion(ctx).convert(node, 0); }

std::string describe_value(const YAML::Node& node, const nlohmann::json* typed) {
  if (node.IsMap()) return "a mapping";
  if (node.IsSequence()) return "a sequence";
  if (!node.IsScalar()) return "nothing";
  if (typed && !typed->is_string()) return typed->is_null() ? "nothing" : typed->dump();
  return "'" + (typed ? typed->get<std::string>() : node.Scalar()) + "'";
}

}  // namespace nebula::host
