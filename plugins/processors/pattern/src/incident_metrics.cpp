#include "nebula_pattern/incident_metrics.hpp"

#include <array>
#include <string>
#include <vector>

namespace nebula::pattern {

namespace {

constexpr const char* kStarted = "incidents_started_total";
constexpr const char* kEnded = "incidents_ended_total";

void declare_counter(const Host& host, const char* name, const char* help) {
  host.declare_metric(name, NEBULA_METRIC_COUNTER, help, {"kind"}, {}, kKindCount);
  for (Kind k : kAllKinds) host.update_metric(name, {kind_name(k)}, 0);  // present from the start, so rate() works
}

void count_by_kind(const Host& host, const char* name, const std::vector<Incident>& incidents) {
  std::array<double, kKindCount> counts{};
  for (const Incident& inc : incidents) ++counts[index(inc.kind)];
  for (Kind k : kAllKinds)
    if (counts[index(k)] > 0) host.update_metric(name, {kind_name(k)}, counts[index(k)]);
}

}  // namespace

IncidentMetrics::IncidentMetrics(const Host& host)
    : active_(host, "incidents_active",
              "Incidents the pattern recognizer has open, by chain and kind (0 once they end)", {"chain_id", "kind"},
              kMaxChains * kKindCount) {
  declare_counter(host, kStarted, "Incidents the pattern recognizer opened, by kind");
  declare_counter(host, kEnded, "Incidents the pattern recognizer closed (recovered, stale, evicted, superseded), by kind");
}

void IncidentMetrics::publish(const Host& host, const BatchReport& report) {
  processors::GaugeView<2>::View view;
  for (const ChainSummary& chain : report.chains)
    for (Kind k : kAllKinds) view[{chain.chain_id, std::string(kind_name(k))}] = 0;
  for (const Incident& inc : report.active) view[{inc.chain_id, std::string(kind_name(inc.kind))}] += 1;
  active_.publish(host, view);
  count_by_kind(host, kStarted, report.started);
  count_by_kind(host, kEnded, report.ended);
}

}  // namespace nebula::pattern
