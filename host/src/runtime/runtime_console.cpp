// The runtime's side of the web console: feeding the fleet store (records
// from the dispatcher, agents' and the recognizer's insights from the live
// broadcast, samples of the pool and the agents every 5 s), and the
// pipeline's wiring as a graph. Kept out of runtime.cpp, which only calls in.
#include "runtime/runtime.hpp"

namespace nebula::host {
namespace {

double wall_now() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

void Runtime::start_console() {
  for (const char* topic : {"patterns", "health", "anomalies"})
    broadcast_.subscribe(topic, [this](const InsightPtr& in) {
      fleet_.on_insight(*in);
      return true;
    });
  console_sampler_.start(FleetStore::kSamplePeriod, [this] { sample_console(); });
}

void Runtime::stop_console() { console_sampler_.stop(); }

void Runtime::observe_fleet(const std::vector<PoolItem>& items) {
  std::vector<const Record*> records;
  records.reserve(items.size());
  for (const auto& item : items) records.push_back(&item.record);
  fleet_.observe(records);
}

void Runtime::sample_console() {
  PoolSample s;
  s.time = wall_now();
  s.records_accepted = records_accepted_.load();
  s.records_processed = records_processed_.load();
  s.records_rejected = records_rejected_.load();
  s.insights = insight_sequence_.load();
  s.queue_depth = pool_queue_.size();
  s.wal_bytes = wal_ ? wal_->stats().bytes : 0;
  fleet_.sample_pool(s);
  std::shared_lock topology(topology_mu_);  // a reload retires agents under it
  for (const auto& a : agents_) {
    const nlohmann::json described = a->describe();
    if (described.contains("stats")) fleet_.sample_agent(a->component().id(), described["stats"], s.time);
  }
  fleet_.sweep();
}

nlohmann::json Runtime::graph() const {
  std::shared_lock topology(topology_mu_);  // a reload swaps components under it
  nlohmann::json components = nlohmann::json::array();
  for (const auto& c : components_) {
    nlohmann::json entry{{"id", c->id()},
                         {"kind", kind_name(c->kind())},
                         {"plugin", c->plugin().id},
                         {"inputs", c->spec().inputs},
                         {"topics", c->spec().topics}};
    components.push_back(std::move(entry));
  }
  for (const auto& n : processors_)
    for (auto& entry : components)
      if (entry["id"] == n->component->id()) entry["stage"] = n->level;
  return {{"components", components}};
}

}  // namespace nebula::host
