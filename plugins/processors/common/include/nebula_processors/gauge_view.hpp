// A labelled gauge family (ABI 1.3 metrics) published as a complete current
// view. Each publish() sets every series of the view, and a series that was
// in the previous view but not in this one is set to 0 once and then
// forgotten: what ended reads 0 on /metrics instead of its last value, and
// memory stays the size of one view.
#pragma once

#include <array>
#include <cstddef>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include <nebula/host.hpp>

namespace nebula::processors {

template <std::size_t N>
class GaugeView {
 public:
  using Labels = std::array<std::string, N>;  // values, in the declared label order
  using View = std::map<Labels, double>;

  // Declares the family (nebula_<name> on /metrics); throws nebula::Error
  // when the host refuses the declaration.
  GaugeView(const Host& host, std::string name, const std::string& help, const Labels& label_names,
            std::size_t max_series)
      : name_(std::move(name)) {
    host.declare_metric(name_, NEBULA_METRIC_GAUGE, help, {label_names.begin(), label_names.end()}, {}, max_series);
  }

  void publish(const Host& host, const View& view) {
    for (const Labels& gone : shown_)
      if (!view.contains(gone)) set(host, gone, 0);
    shown_.clear();
    for (const auto& [labels, value] : view) {
      set(host, labels, value);
      shown_.push_back(labels);
    }
  }

 private:
  void set(const Host& host, const Labels& labels, double value) const {
    std::apply([&](const auto&... l) { host.update_metric(name_, {std::string_view(l)...}, value); }, labels);
  }

  std::string name_;
  std::vector<Labels> shown_;  // the previous view's series, sorted
};

}  // namespace nebula::processors
