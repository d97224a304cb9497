#include "prometheus_mapping.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iterator>
#include <stdexcept>

#include <yaml-cpp/yaml.h>

#include "nebula/record_fields.hpp"

namespace nebula::node::collect {

namespace {

std::string series_key(const PromSample& s) {
  std::string key = s.name;
  for (const auto& [k, v] : s.labels) key += "\x1f" + k + "=" + v;
  return key;
}

std::string where(const YAML::Node& n) { return "line " + std::to_string(n.Mark().line + 1) + ": "; }

[[noreturn]] void fail(const YAML::Node& n, const std::string& what) { throw std::invalid_argument(where(n) + what); }

Aggregate parse_aggregate(const YAML::Node& n) {
  const auto s = n.as<std::string>();
  if (s == "sum") return Aggregate::Sum;
  if (s == "avg") return Aggregate::Avg;
  if (s == "min") return Aggregate::Min;
  if (s == "max") return Aggregate::Max;
  fail(n, "aggregate must be sum, avg, min or max");
}

double number(const YAML::Node& n, const char* key) {
  try {
    return n.as<double>();
  } catch (const YAML::Exception&) {
    fail(n, std::string(key) + " must be a number");
  }
}

PromSelector selector(const YAML::Node& n) {
  if (!n.IsScalar()) fail(n, "expected a selector string");
  try {
    return parse_selector(n.as<std::string>());
  } catch (const std::invalid_argument& e) {
    fail(n, e.what());
  }
}

// One selector or a list of them.
std::vector<PromSelector> selectors(const YAML::Node& n) {
  if (!n.IsSequence()) return {selector(n)};
  std::vector<PromSelector> out;
  for (const auto& item : n) out.push_back(selector(item));
  if (out.empty()) fail(n, "expected at least one selector");
  return out;
}

bool any_match(const std::vector<PromSelector>& sels, const PromSample& s) {
  for (const auto& sel : sels)
    if (sel.matches(s)) return true;
  return false;
}

// Sum of the finite samples matching; nullopt when none does.
std::optional<double> gauge_sum(const std::vector<PromSelector>& sels, const std::vector<PromSample>& samples) {
  std::optional<double> sum;
  for (const auto& s : samples)
    if (std::isfinite(s.value) && any_match(sels, s)) sum = sum.value_or(0.0) + s.value;
  return sum;
}

const nebula::fields::Field* canonical(std::string_view name) {
  for (const auto& f : nebula::fields::all)
    if (f.name == name) return &f;
  return nullptr;
}

}  // namespace

std::vector<FieldRule> parse_mapping(std::string_view yaml_text) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml_text));
  } catch (const YAML::Exception& e) {
    throw std::invalid_argument("line " + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
  if (root.IsNull()) return {};
  if (!root.IsMap()) throw std::invalid_argument(where(root) + "a mapping must be a map of field: metric");
  std::vector<FieldRule> rules;
  for (const auto& item : root) {
    FieldRule r;
    r.field = item.first.as<std::string>();
    if (r.field.empty() || r.field.front() == '.' || r.field.back() == '.' ||
        r.field.find("..") != std::string::npos)
      fail(item.first, "'" + r.field + "' is not a dotted field name");
    const YAML::Node& v = item.second;
    if (v.IsScalar()) {
      r.metric = selectors(v);
    } else if (v.IsMap()) {
      if (!v["metric"]) fail(v, r.field + ": the long form needs 'metric'");
      for (const auto& kv : v) {
        const auto key = kv.first.as<std::string>();
        if (key == "metric") r.metric = selectors(kv.second);
        else if (key == "minus") r.minus = selectors(kv.second);
        else if (key == "divide_by") r.divide_by = selectors(kv.second);
        else if (key == "rate") r.rate = kv.second.as<bool>();
        else if (key == "aggregate") r.aggregate = parse_aggregate(kv.second);
        else if (key == "scale") r.scale = number(kv.second, "scale");
        else if (key == "offset") r.offset = number(kv.second, "offset");
        else fail(kv.first, "unknown key '" + key + "' (metric, rate, aggregate, scale, offset, minus, divide_by)");
      }
    } else {
      fail(v, r.field + ": expected a metric selector or a map");
    }
    rules.push_back(std::move(r));
  }
  return rules;
}

std::vector<FieldRule> load_mapping_file(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw std::invalid_argument("cannot read mapping file " + file.string());
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  try {
    return parse_mapping(text);
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(file.string() + ": " + e.what());
  }
}

void set_dotted(nlohmann::json& record, std::string_view dotted, nlohmann::json value) {
  nlohmann::json* at = &record;
  while (true) {
    const auto dot = dotted.find('.');
    const std::string key(dotted.substr(0, dot));
    if (dot == std::string_view::npos) {
      (*at)[key] = std::move(value);
      return;
    }
    nlohmann::json& next = (*at)[key];
    if (!next.is_object()) next = nlohmann::json::object();
    at = &next;
    dotted.remove_prefix(dot + 1);
  }
}

PrometheusMapper::PrometheusMapper(std::vector<FieldRule> rules) : rules_(std::move(rules)) {}

nlohmann::json PrometheusMapper::apply(const std::vector<PromSample>& samples,
                                       std::chrono::steady_clock::time_point now) {
  const double dt = previous_at_ ? std::chrono::duration<double>(now - *previous_at_).count() : 0.0;
  std::map<std::string, double> current;
  nlohmann::json out = nlohmann::json::object();
  for (const auto& rule : rules_) {
    std::vector<double> values;
    for (const auto& s : samples) {
      if (!std::isfinite(s.value) || !any_match(rule.metric, s)) continue;
      if (!rule.rate) {
        values.push_back(s.value);
        continue;
      }
      const std::string key = series_key(s);
      current[key] = s.value;
      auto prev = previous_.find(key);
      // A counter that went down was reset: no rate for it this time.
      if (dt > 0 && prev != previous_.end() && s.value >= prev->second) values.push_back((s.value - prev->second) / dt);
    }
    if (values.empty()) continue;
    double v = 0;
    switch (rule.aggregate) {
      case Aggregate::Sum:
      case Aggregate::Avg:
        for (double x : values) v += x;
        if (rule.aggregate == Aggregate::Avg) v /= static_cast<double>(values.size());
        break;
      case Aggregate::Min: v = *std::min_element(values.begin(), values.end()); break;
      case Aggregate::Max: v = *std::max_element(values.begin(), values.end()); break;
    }
    if (!rule.minus.empty()) {
      const auto m = gauge_sum(rule.minus, samples);
      if (!m) continue;
      v -= *m;
    }
    if (!rule.divide_by.empty()) {
      const auto d = gauge_sum(rule.divide_by, samples);
      if (!d || *d == 0) continue;
      v /= *d;
    }
    v = rule.offset + rule.scale * v;
    if (const auto* f = canonical(rule.field)) {
      v = std::max(v, 0.0);  // the pool refuses negative canonical metrics
      if (f->type == nebula::fields::Type::Int64) {
        set_dotted(out, rule.field, static_cast<std::int64_t>(std::llround(v)));
        continue;
      }
    }
    set_dotted(out, rule.field, v);
  }
  previous_ = std::move(current);
  previous_at_ = now;
  return out;
}

}  // namespace nebula::node::collect
