// Reaching a state cap is a warning and a metric, never silent. Plugins bound
// per-node and per-chain state (LruMap, `max_nodes`, ...); once a table is
// full, every new key evicts an old one and what the plugin reports thins
// out. After each batch a plugin hands its tables to StateCaps::report, which
//  - counts the evictions since the last report: counter `state_evictions_<table>`,
//  - sets the gauges `state_entries_<table>` and `state_capacity_<table>`,
//  - logs one warning when the table first fills (component, table, capacity
//    and the config key that raises it), then at most one per `warn_every`
//    while it keeps evicting, with the number evicted meanwhile.
#pragma once

#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "nebula/counter_totals.hpp"
#include "nebula/host.hpp"
#include "nebula/state_table.hpp"

namespace nebula {

class StateCaps {
 public:
  using Clock = std::chrono::steady_clock;

  // `component` names the plugin in warnings (its id, e.g. "nebula.processor.memory").
  explicit StateCaps(std::string component, Clock::duration warn_every = std::chrono::minutes(10))
      : component_(std::move(component)), warn_every_(warn_every) {}

  void report(const Host& host, std::initializer_list<StateTable> tables, Clock::time_point now = Clock::now()) {
    report(host, std::span<const StateTable>(tables.begin(), tables.size()), now);
  }
  void report(const Host& host, std::span<const StateTable> tables, Clock::time_point now = Clock::now()) {
    for (const StateTable& t : tables) report_one(host, t, now);
  }

 private:
  struct Seen {
    uint64_t unwarned_evictions = 0;  // evicted since the last warning
    bool warned = false;
    Clock::time_point last_warning{};
  };

  void report_one(const Host& host, const StateTable& t, Clock::time_point now) {
    const std::string table(t.name);
    Seen& seen = seen_[table];
    const uint64_t fresh = evictions_.report(host, "state_evictions_" + table, t.evictions);
    seen.unwarned_evictions += fresh;
    host.gauge("state_entries_" + table, static_cast<double>(t.size));
    host.gauge("state_capacity_" + table, static_cast<double>(t.capacity));

    if (!seen.warned) {
      if (t.size < t.capacity && !fresh) return;
      seen.warned = true;
      seen.last_warning = now;
      seen.unwarned_evictions = 0;
      host.warn(component_ + ": state table '" + table + "' reached its capacity of " + std::to_string(t.capacity) +
                " entries; the least recently seen are evicted from now on (metric state_evictions_" + table +
                "). Raise '" + std::string(t.config_key) + "' to keep more.");
      return;
    }
    if (!seen.unwarned_evictions || now - seen.last_warning < warn_every_) return;
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(now - seen.last_warning).count();
    host.warn(component_ + ": state table '" + table + "' evicted " + std::to_string(seen.unwarned_evictions) +
              " entries in the last " + std::to_string(seconds) + " s at its capacity of " +
              std::to_string(t.capacity) + ". Raise '" + std::string(t.config_key) + "' to keep more.");
    seen.last_warning = now;
    seen.unwarned_evictions = 0;
  }

  std::string component_;
  Clock::duration warn_every_;
  std::map<std::string, Seen, std::less<>> seen_;
  CounterTotals evictions_;
};

}  // namespace nebula
