// Process-wide metrics registry, rendered in the Prometheus text format.
// Families are declared once (type + help); samples are keyed by labels.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace nebula::host {

using Labels = std::vector<std::pair<std::string, std::string>>;

class Metrics {
 public:
  enum class Type { Counter, Gauge };

  // Family and label names pass through sanitize_metric_name (labels also lose
  // ':'); label order does not matter. Misuse (declaring a family again with
  // another type, decreasing a counter) throws std::invalid_argument.

  // Declares a family; re-declaring with the same type is a no-op.
  void describe(const std::string& family, Type type, const std::string& help);
  // Counter: adds delta (>= 0). Undeclared families become counters.
  void add(const std::string& family, const Labels& labels, double delta = 1.0);
  // Gauge: sets the value. Undeclared families become gauges.
  void set(const std::string& family, const Labels& labels, double value);
  // Current value (0 when never touched).
  double value(const std::string& family, const Labels& labels = {}) const;
  // Prometheus text exposition format 0.0.4.
  std::string render() const;

 private:
  struct Family {
    Type type = Type::Counter;
    std::string help;
    std::map<Labels, double> samples;
  };
  mutable std::mutex mu_;
  std::map<std::string, Family> families_;
};

// Makes a valid Prometheus metric-name fragment ("a.b-c" -> "a_b_c").
std::string sanitize_metric_name(const std::string& name);

}  // namespace nebula::host
