// Reloading the pipeline while the pool runs (docs/reload.md;
// docs/architecture.md §6). In order:
//  1. diff the running pipeline and the new one; refuse settings that cannot
//     change live;
//  2. create the new instances (added and restarted components): a failing
//     create refuses the reload with nothing changed;
//  3. stop the transports that go or change (their in-flight submissions
//     finish; the others keep listening and accepting);
//  4. under the ingest gate, note how many records were ever queued: the
//     boundary. Records queued before it go through the old pipeline, those
//     after it through the new one, so each record meets exactly one version
//     of every component, and one that is unchanged sees every record once;
//  5. the dispatcher, between two cycles, once it has taken every record
//     before the boundary: delivers pending insights, flushes the outgoing
//     processors, then swaps components, stages and routes;
//  6. outgoing agents learn what they hold and checkpoint, outgoing sinks
//     deliver what they hold; the old instances are destroyed;
//  7. new sinks and agents start (a restarted agent restores the checkpoint
//     its old instance just wrote), then new transports start listening.
// The pool queue, the write-ahead log and its de-duplication index are never
// touched, so nothing accepted is lost or counted twice.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>
#include <future>
#include <set>

#include "runtime/runtime.hpp"

namespace nebula::host {

struct Runtime::TopologySwap {
  std::vector<ComponentSpec> components;  // the new file's, in its order
  std::set<std::string> outgoing;         // removed and restarted ids
  std::vector<std::unique_ptr<Component>> fresh;  // instances for added and restarted ids
  uint64_t boundary = 0;                  // records pushed before the reload
  // Set by the dispatcher when it applies the swap:
  std::vector<std::unique_ptr<Component>> retired;
  std::vector<std::unique_ptr<AgentWorker>> retired_agents;
  std::vector<std::unique_ptr<SinkWorker>> retired_sinks;
  std::vector<AgentWorker*> agents_to_start;
  std::vector<SinkWorker*> sinks_to_start;
  std::vector<Component*> transports_to_start;
  std::promise<void> applied;
};

namespace {

bool contains(const std::vector<std::string>& list, const std::string& id) {
  return std::find(list.begin(), list.end(), id) != list.end();
}

// Takes the element with this id out of `owned`, or null.
template <class T, class Id>
std::unique_ptr<T> take(std::vector<std::unique_ptr<T>>& owned, const std::string& id, Id id_of) {
  for (auto& p : owned)
    if (p && id_of(*p) == id) return std::move(p);
  return nullptr;
}

}  // namespace

void Runtime::discard(std::vector<std::unique_ptr<Component>>& fresh) {
  for (auto& c : fresh) timers_.cancel(c.get());  // create() may have scheduled some
  fresh.clear();                                  // destroys the instances
}

ReloadReport Runtime::reload(const PipelineConfig& next) {
  std::lock_guard lifecycle(lifecycle_mu_);
  ReloadReport report;
  if (!ready_ || draining_) {
    report.errors.push_back("the pool is starting or draining; nothing was reloaded");
    return report;
  }
  report.diff = diff_pipelines(config_, next);
  for (auto& why : fixed_setting_changes(config_, next)) report.errors.push_back(next.file + ": " + why);
  if (!report.errors.empty()) return report;
  if (!report.diff.changes_components()) {
    report.applied = true;
    return report;
  }
  const PipelineDiff& diff = report.diff;

  // 2. New instances first: until the swap they receive nothing.
  auto swap = std::make_shared<TopologySwap>();
  swap->components = next.components;
  swap->outgoing.insert(diff.removed.begin(), diff.removed.end());
  for (const auto& r : diff.restarted) swap->outgoing.insert(r.id);
  size_t new_slots = 0;
  for (const auto& spec : next.components) {
    if (!contains(diff.added, spec.id) && !diff.restarts(spec.id)) continue;
    const LoadedPlugin* plugin = registry_.find(spec.plugin);
    if (!plugin) {
      report.errors.push_back("component '" + spec.id + "': no plugin with id '" + spec.plugin + "'");
      continue;
    }
    auto dir = (std::filesystem::path(config_.state_dir) / "components" / spec.id).string();
    auto component = std::make_unique<Component>(spec, *plugin, *this, dir);
    if (auto why = component->create(); !why.empty()) {
      report.errors.push_back("component '" + spec.id + "' (" + spec.plugin + "): create failed: " + why);
      continue;
    }
    if (component->kind() == NEBULA_KIND_TRANSPORT && transport_slot(spec.id) < 0) ++new_slots;
    swap->fresh.push_back(std::move(component));
  }
  if (transport_slots_.size() + new_slots > 64)
    report.errors.push_back("a pool knows at most 64 transport ids from start to stop; this reload would make " +
                            std::to_string(transport_slots_.size() + new_slots) + " (restart it to apply)");
  if (!report.errors.empty()) {
    discard(swap->fresh);
    return report;
  }

  // 3. Transports that go or change stop taking input; the rest keep theirs.
  for (auto* t : transports_) {
    if (!swap->outgoing.count(t->id()) || !t->instance()) continue;
    char err[NEBULA_ERROR_CAP] = {0};
    if (t->server()->stop(t->instance(), err, sizeof err) != NEBULA_OK)
      spdlog::warn("[{}] stop failed: {}", t->id(), err);
  }
  // 4. Every record queued so far is on the old pipeline's side.
  {
    std::lock_guard gate(gate_mu_);
    swap->boundary = pushed_.load();
  }
  std::future<void> applied = swap->applied.get_future();
  {
    std::lock_guard lock(swap_mu_);
    pending_swap_ = swap;
  }
  pool_queue_.wake();
  applied.wait();  // 5. on the dispatcher

  // 6. What the outgoing agents and sinks hold is learned and delivered.
  const auto sinks_deadline = std::chrono::steady_clock::now() + config_.shutdown_timeout * 3 / 4;
  for (auto& a : swap->retired_agents) a->drain_and_stop();
  for (auto& s : swap->retired_sinks) s->drain_and_stop(sinks_deadline);
  swap->retired_agents.clear();
  swap->retired_sinks.clear();
  swap->retired.clear();  // destroys the old instances
  // 7. New consumers before new producers.
  for (auto* s : swap->sinks_to_start) s->start();
  if (config_.training.enabled)
    for (auto* a : swap->agents_to_start) a->start();
  for (auto* t : swap->transports_to_start) {
    char err[NEBULA_ERROR_CAP] = {0};
    std::lock_guard lock(t->data_mu);
    if (t->server()->start(t->instance(), err, sizeof err) != NEBULA_OK)
      report.errors.push_back("transport '" + t->id() + "' failed to start: " + err);
  }
  report.applied = true;
  return report;
}

void Runtime::cross_reload_boundary(std::vector<PoolItem>& items) {
  std::shared_ptr<TopologySwap> swap;
  {
    std::lock_guard lock(swap_mu_);
    swap = pending_swap_;
  }
  if (!swap || popped_ < swap->boundary) return;  // records of the old pipeline are still queued
  // The first of `items` that were queued before the reload go the old way.
  const uint64_t before_batch = popped_ - items.size();
  const size_t head = swap->boundary > before_batch ? size_t(swap->boundary - before_batch) : 0;
  if (head > 0) {
    std::vector<PoolItem> old(std::make_move_iterator(items.begin()),
                              std::make_move_iterator(items.begin() + static_cast<std::ptrdiff_t>(head)));
    items.erase(items.begin(), items.begin() + static_cast<std::ptrdiff_t>(head));
    run_cycle(old);
    commit_processed(old);
  }
  apply_swap(*swap);
  {
    std::lock_guard lock(swap_mu_);
    pending_swap_.reset();
  }
  swap->applied.set_value();
}

void Runtime::apply_swap(TopologySwap& swap) {
  const auto outgoing = [&](const Component& c) { return swap.outgoing.count(c.id()) > 0; };
  // Insights already emitted reach the old consumers; what the outgoing
  // processors hold is flushed downstream before they go.
  std::vector<PoolItem> none;
  for (int round = 0; round < 16 && !inboxes_empty(); ++round) run_cycle(none);
  flush_processors(outgoing);
  for (auto& c : components_)
    if (outgoing(*c)) timers_.cancel(c.get());

  std::unique_lock topology(topology_mu_);
  std::vector<std::unique_ptr<Component>> components;
  std::vector<Component*> transports;
  for (const auto& spec : swap.components) {
    auto c = take(swap.fresh, spec.id, [](const Component& x) { return x.id(); });
    const bool fresh = c != nullptr;
    if (!fresh) c = take(components_, spec.id, [](const Component& x) { return x.id(); });
    if (!c) continue;  // cannot happen: the diff calls every other id unchanged
    if (c->kind() == NEBULA_KIND_TRANSPORT) {
      transports.push_back(c.get());
      if (fresh) swap.transports_to_start.push_back(c.get());
      if (transport_slot(spec.id) < 0) {
        std::lock_guard gate(gate_mu_);  // append_and_queue reads the slots under it
        transport_slots_.push_back(spec.id);
      }
    }
    components.push_back(std::move(c));
  }
  for (auto& c : components_)
    if (c) swap.retired.push_back(std::move(c));

  // Workers: unchanged ones go on as they are; new ones queue until started.
  std::vector<std::unique_ptr<AgentWorker>> agents;
  std::vector<std::unique_ptr<SinkWorker>> sinks;
  for (auto& c : components) {
    if (c->kind() == NEBULA_KIND_AGENT) {
      auto worker = take(agents_, c->id(), [](const AgentWorker& a) { return a.component().id(); });
      if (!worker || &worker->component() != c.get()) {
        if (worker) swap.retired_agents.push_back(std::move(worker));
        worker = std::make_unique<AgentWorker>(*c, config_.training, *training_budget_, metrics_);
        swap.agents_to_start.push_back(worker.get());
      }
      agents.push_back(std::move(worker));
    } else if (c->kind() == NEBULA_KIND_SINK) {
      auto worker = take(sinks_, c->id(), [](const SinkWorker& s) { return s.component().id(); });
      if (!worker || &worker->component() != c.get()) {
        if (worker) swap.retired_sinks.push_back(std::move(worker));
        worker = std::make_unique<SinkWorker>(*c, config_.sinks, metrics_, dead_letters_);
        swap.sinks_to_start.push_back(worker.get());
      }
      sinks.push_back(std::move(worker));
    }
  }
  for (auto& a : agents_)
    if (a) swap.retired_agents.push_back(std::move(a));
  for (auto& s : sinks_)
    if (s) swap.retired_sinks.push_back(std::move(s));

  // Stages and routes; insights waiting for a processor that stays (or comes
  // back restarted) stay in its inbox if it still takes them.
  ProcessorGraph graph = build_processor_graph(components);
  for (auto& node : graph.nodes) {
    for (auto& old : processors_) {
      if (old->component->id() != node->component->id()) continue;
      const auto& filter = node->component->spec().topics;
      for (auto& insight : old->inbox)
        if (contains(node->insight_inputs, insight->source) && (filter.empty() || contains(filter, insight->topic)))
          node->inbox.push_back(std::move(insight));
    }
  }
  components_ = std::move(components);
  transports_ = std::move(transports);
  agents_ = std::move(agents);
  sinks_ = std::move(sinks);
  processors_ = std::move(graph.nodes);
  max_level_ = graph.max_level;
  emitter_rank_ = std::move(graph.rank);
  config_.components = swap.components;
}

}  // namespace nebula::host
