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

nlohmann::json yaml_to_json(const YAML::Node& node, ParseContext& ctx) {
  if (node.IsSequence()) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& item : node) out.push_back(yaml_to_json(item, ctx));
    return out;
  }
  if (node.IsMap()) {
    nlohmann::json out = nlohmann::json::object();
    std::set<std::string> seen;
    for (const auto& entry : node) {
      if (!entry.first.IsScalar()) {
        ctx.report(entry.first.Mark(), "mapping keys must be plain strings, got " + describe_value(entry.first));
        continue;
      }
      const std::string& key = entry.first.Scalar();
      if (!seen.insert(key).second) {
        ctx.report(entry.first.Mark(), "duplicate key '" + key + "'");
        continue;
      }
      out[key] = yaml_to_json(entry.second, ctx);
    }
    return out;
  }
  auto scalar = read_scalar(node, ctx);
  return scalar ? scalar->typed : nlohmann::json(nullptr);
}

std::string describe_value(const YAML::Node& node, const nlohmann::json* typed) {
  if (node.IsMap()) return "a mapping";
  if (node.IsSequence()) return "a sequence";
  if (!node.IsScalar()) return "nothing";
  if (typed && !typed->is_string()) return typed->is_null() ? "nothing" : typed->dump();
  return "'" + (typed ? typed->get<std::string>() : node.Scalar()) + "'";
}

}  // namespace nebula::host
