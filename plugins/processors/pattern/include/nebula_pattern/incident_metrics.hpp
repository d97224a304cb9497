// The Pattern Recognizer's domain series on /metrics (each exported as
// nebula_<name> with component="<instance id>"):
//   incidents_active{chain_id, kind}   gauge: open incidents; every kind of
//                                      every tracked chain, 0 when none
//   incidents_started_total{kind}      counter
//   incidents_ended_total{kind}        counter
// Labels are chains and kinds only, never a node id: a few chains times
// seven kinds.
#pragma once

#include <cstddef>

#include <nebula/host.hpp>
#include <nebula_processors/gauge_view.hpp>

#include "nebula_pattern/batch_report.hpp"

namespace nebula::pattern {

class IncidentMetrics {
 public:
  // Series limit of incidents_active: this many chains of every kind.
  static constexpr std::size_t kMaxChains = 64;

  // Declares the families; the counters start at 0 for every kind.
  explicit IncidentMetrics(const Host& host);

  // After each batch: the complete active view (a chain that is no longer
  // tracked, or a resolved incident, goes to 0) and the batch's transitions.
  void publish(const Host& host, const BatchReport& report);

 private:
  processors::GaugeView<2> active_;
};

}  // namespace nebula::pattern
