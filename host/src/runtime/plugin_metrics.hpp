// Labelled metric families that plugins declare through the host table
// (ABI 1.3, metric_declare / metric_update): each becomes nebula_<name> on
// /metrics with the declaring instance's component label added, its shape
// (type, label names, bounds) fixed by the first declaration and its
// cardinality bounded (Metrics::limit_series), so a plugin cannot flood the
// exposition with one series per node.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "metrics/metrics.hpp"
#include "nebula/nebula_plugin.h"

namespace nebula::host {

class PluginMetrics {
 public:
  static constexpr size_t kMaxLabels = 8;
  static constexpr size_t kDefaultMaxSeries = 1000;

  explicit PluginMetrics(Metrics& metrics) : metrics_(metrics) {}

  // [thread-safe] "" or why the declaration is refused.
  std::string declare(const std::string& component, const std::string& name, nebula_metric_type type,
                      const std::string& help, std::vector<std::string> labels, std::vector<double> bounds,
                      size_t max_series);
  // [thread-safe] NEBULA_OK, or NEBULA_INVALID for an undeclared family, a
  // wrong number of label values or a negative counter delta.
  nebula_status update(const std::string& component, const std::string& name,
                       const std::vector<std::string>& values, double value);

  // The exported family name of a plugin's metric: nebula_<name>, counters ending in _total.
  static std::string family_of(const std::string& name, nebula_metric_type type);

 private:
  struct Shape {
    nebula_metric_type type;
    std::vector<std::string> labels;
    std::vector<double> bounds;
  };
  Metrics& metrics_;
  std::mutex mu_;
  std::map<std::string, Shape> families_;  // by exported name
  std::map<std::pair<std::string, std::string>, std::string> declared_;  // (component, name) -> family
};

}  // namespace nebula::host
