// Process-wide metrics registry, rendered in the Prometheus text format.
// Families are declared once (type + help); samples are keyed by labels.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace nebula::host {

using Labels = std::vector<std::pair<std::string, std::string>>;

class Metrics {
 public:
  enum class Type { Counter, Gauge, Histogram };

  // Family and label names pass through sanitize_metric_name (labels also lose
  // ':'); label order does not matter. Misuse (declaring a family again with
  // another type, decreasing a counter) throws std::invalid_argument.

  // Declares a family; re-declaring with the same type is a no-op.
  void describe(const std::string& family, Type type, const std::string& help);
  // Counter: adds delta (>= 0). Undeclared families become counters, with
  // `help` as their HELP text (for families named at run time, such as a
  // plugin's counter_add; a later describe() does not replace it).
  void add(const std::string& family, const Labels& labels, double delta = 1.0, std::string_view help = {});
  // Gauge: sets the value. Undeclared families become gauges, with `help`.
  void set(const std::string& family, const Labels& labels, double value, std::string_view help = {});
  // Declares a histogram with ascending upper bounds (+Inf is implied).
  void describe_histogram(const std::string& family, const std::string& help, std::vector<double> bounds);
  // Histogram: counts `value` in its bucket, sum and count. Undeclared or
  // not a histogram: std::invalid_argument.
  void observe(const std::string& family, const Labels& labels, double value);
  // Bounds a family's cardinality: past `max_series` label sets, a new one
  // is not recorded; it is counted in
  // nebula_metric_series_refused_total{family} (never silent).
  void limit_series(const std::string& family, size_t max_series);
  // Current value (0 when never touched); a histogram's count.
  double value(const std::string& family, const Labels& labels = {}) const;
  // Prometheus text exposition format 0.0.4.
  std::string render() const;

 private:
  struct Buckets {
    std::vector<uint64_t> counts;  // per bound, not cumulative; last = +Inf
    double sum = 0;
    uint64_t count = 0;
  };
  struct Family {
    Type type = Type::Counter;
    std::string help;
    std::map<Labels, double> samples;
    std::vector<double> bounds;             // histograms
    std::map<Labels, Buckets> histograms;   // histograms
    size_t max_series = 0;                  // 0 = unbounded
  };
  // Under mu_: whether `family` may hold the sample `key` (it has it, or room).
  bool admits(const std::string& name, Family& family, const Labels& key, size_t held);
  std::map<std::string, double> refused_;  // by family: new series past max_series
  mutable std::mutex mu_;
  std::map<std::string, Family> families_;
};

// Makes a valid Prometheus metric-name fragment ("a.b-c" -> "a_b_c").
std::string sanitize_metric_name(const std::string& name);

}  // namespace nebula::host
