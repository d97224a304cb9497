#include "nebula_pattern/batch_report.hpp"

#include <algorithm>

#include <nebula/json_writer.hpp>

namespace nebula::pattern {

namespace {

// Writes at most max_listed of them; returns how many were left out.
std::size_t write_list(JsonWriter& w, const std::vector<Incident>& incidents, std::size_t max_listed) {
  w.begin_array();
  const std::size_t listed = std::min(incidents.size(), max_listed);
  for (std::size_t i = 0; i < listed; ++i) write_incident(w, incidents[i]);
  w.end_array();
  return incidents.size() - listed;
}

}  // namespace

// Keys in sorted order, the chains by id: the text dump() gave for the
// nlohmann document this replaced.
std::string to_text(const BatchReport& r, std::size_t max_listed) {
  JsonWriter w;
  w.reserve(512 + 400 * (std::min(r.active.size(), max_listed) + r.started.size() + r.ended.size()) +
            128 * r.chains.size());
  w.begin_object();
  w.key("active");
  const std::size_t cut_active = write_list(w, r.active, max_listed);
  std::vector<const ChainSummary*> chains;
  chains.reserve(r.chains.size());
  for (const auto& c : r.chains) chains.push_back(&c);
  std::stable_sort(chains.begin(), chains.end(),
                   [](const ChainSummary* a, const ChainSummary* b) { return a->chain_id < b->chain_id; });
  w.key("chains").begin_object();
  for (std::size_t i = 0; i < chains.size(); ++i) {
    const ChainSummary& c = *chains[i];
    // A repeated id: the document kept the last one.
    if (i + 1 < chains.size() && chains[i + 1]->chain_id == c.chain_id) continue;
    w.key(c.chain_id).begin_object();
    w.key("expected_interval_s").value(c.expected_interval_s);
    w.key("nodes").value(static_cast<std::uint64_t>(c.nodes));
    w.key("observed_interval_s").value(c.observed_interval_s);
    w.key("tip_height").value(c.tip_height);
    w.end_object();
  }
  w.end_object();
  w.key("ended");
  const std::size_t cut_ended = write_list(w, r.ended, max_listed);
  w.key("generated_at").value(r.generated_at);
  w.key("kind").value("patterns");
  w.key("started");
  const std::size_t cut_started = write_list(w, r.started, max_listed);
  w.key("stats").begin_object();
  w.key("chains").value(static_cast<std::uint64_t>(r.stats.chains));
  w.key("counter_resets").value(r.stats.counter_resets);
  w.key("evicted_nodes").value(r.stats.evicted_nodes);
  w.key("invalid_records").value(r.stats.invalid_records);
  w.key("nodes").value(static_cast<std::uint64_t>(r.stats.nodes));
  w.key("out_of_order").value(r.stats.out_of_order);
  w.key("records").value(r.stats.records);
  w.end_object();
  if (cut_active + cut_started + cut_ended > 0) {
    w.key("truncated").begin_object();
    w.key("active").value(static_cast<std::uint64_t>(cut_active));
    w.key("ended").value(static_cast<std::uint64_t>(cut_ended));
    w.key("started").value(static_cast<std::uint64_t>(cut_started));
    w.end_object();
  }
  w.end_object();
  return w.take();
}

}  // namespace nebula::pattern
