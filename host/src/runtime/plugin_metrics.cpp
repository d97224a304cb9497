#include "runtime/plugin_metrics.hpp"

#include <algorithm>
#include <regex>

namespace nebula::host {
namespace {

const std::vector<double> kDefaultBounds = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

bool is_snake_name(const std::string& s) {
  static const std::regex pattern("^[a-z_][a-z0-9_]*$");
  return !s.empty() && s.size() <= 100 && std::regex_match(s, pattern);
}

std::string shape_text(const std::vector<std::string>& labels) {
  std::string out = "[";
  for (size_t i = 0; i < labels.size(); ++i) out += (i ? ", " : "") + labels[i];
  return out + "]";
}

}  // namespace

std::string PluginMetrics::family_of(const std::string& name, nebula_metric_type type) {
  std::string family = "nebula_" + name;
  if (type == NEBULA_METRIC_COUNTER && !family.ends_with("_total")) family += "_total";
  return family;
}

std::string PluginMetrics::declare(const std::string& component, const std::string& name, nebula_metric_type type,
                                   const std::string& help, std::vector<std::string> labels,
                                   std::vector<double> bounds, size_t max_series) {
  if (!is_snake_name(name)) return "metric name '" + name + "' must match [a-z_][a-z0-9_]* (at most 100 characters)";
  if (type != NEBULA_METRIC_COUNTER && type != NEBULA_METRIC_GAUGE && type != NEBULA_METRIC_HISTOGRAM)
    return "metric '" + name + "' has an unknown type " + std::to_string(int(type));
  if (labels.size() > kMaxLabels) return "metric '" + name + "' has more than 8 labels";
  for (const auto& l : labels)
    if (!is_snake_name(l) || l == "component" || l == "le")
      return "metric '" + name + "' label '" + l + "' must match [a-z_][a-z0-9_]* and not be component or le";
  if (type == NEBULA_METRIC_HISTOGRAM && bounds.empty()) bounds = kDefaultBounds;
  if (!std::is_sorted(bounds.begin(), bounds.end()) || std::adjacent_find(bounds.begin(), bounds.end()) != bounds.end())
    return "metric '" + name + "' bounds must be strictly ascending";
  const std::string family = family_of(name, type);
  std::lock_guard lock(mu_);
  if (auto earlier = declared_.find({component, name}); earlier != declared_.end() && earlier->second != family)
    return "metric '" + name + "' was declared before as another type";
  auto [it, inserted] = families_.try_emplace(family, Shape{type, labels, bounds});
  if (!inserted && (it->second.type != type || it->second.labels != labels || it->second.bounds != bounds))
    return "metric '" + name + "' was declared before with another type, labels " + shape_text(it->second.labels) +
           " or bounds";
  if (inserted) {
    // Every family on /metrics has HELP text, even when a plugin gives none.
    const std::string text =
        help.empty() ? "Metric '" + name + "' a plugin declared without help text, by component" : help;
    try {
      if (type == NEBULA_METRIC_HISTOGRAM) metrics_.describe_histogram(family, text, bounds);
      else metrics_.describe(family, type == NEBULA_METRIC_COUNTER ? Metrics::Type::Counter : Metrics::Type::Gauge,
                             text);
    } catch (const std::invalid_argument& e) {  // the host's own family of that name
      families_.erase(it);
      return "metric '" + name + "' clashes with a host metric: " + e.what();
    }
    metrics_.limit_series(family, max_series ? max_series : kDefaultMaxSeries);
  }
  declared_[{component, name}] = family;
  return {};
}

nebula_status PluginMetrics::update(const std::string& component, const std::string& name,
                                    const std::vector<std::string>& values, double value) {
  std::string family;
  Labels labels;
  nebula_metric_type type;
  {
    std::lock_guard lock(mu_);
    auto d = declared_.find({component, name});
    if (d == declared_.end()) return NEBULA_INVALID;
    family = d->second;
    const Shape& shape = families_.at(family);
    if (values.size() != shape.labels.size()) return NEBULA_INVALID;
    type = shape.type;
    labels.reserve(values.size() + 1);
    labels.emplace_back("component", component);
    for (size_t i = 0; i < values.size(); ++i) labels.emplace_back(shape.labels[i], values[i]);
  }
  switch (type) {
    case NEBULA_METRIC_COUNTER:
      if (!(value >= 0)) return NEBULA_INVALID;
      metrics_.add(family, labels, value);
      break;
    case NEBULA_METRIC_GAUGE: metrics_.set(family, labels, value); break;
    case NEBULA_METRIC_HISTOGRAM: metrics_.observe(family, labels, value); break;
  }
  return NEBULA_OK;
}

}  // namespace nebula::host
