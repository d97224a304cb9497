#include "runtime/runtime.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <climits>
#include <filesystem>
#include <set>

namespace nebula::host {
namespace {
thread_local bool on_dispatcher = false;
}

Runtime::Runtime(const PipelineConfig& config, const PluginRegistry& registry, Metrics& metrics)
    : config_(config),
      registry_(registry),
      metrics_(metrics),
      pool_queue_(config.pool.queue_capacity),
      dedup_(config.wal.dedup_nodes),
      limiter_(config.limits.records_per_second_per_node, config.limits.burst_records_per_node),
      dead_letters_(std::filesystem::path(config.state_dir) / "dead-letters"),
      pool_threads_(config.pool.workers) {
  metrics_.describe("nebula_pool_queue_depth", Metrics::Type::Gauge, "Records waiting in the pool queue");
  metrics_.describe("nebula_pool_queue_capacity", Metrics::Type::Gauge, "Capacity of the pool queue (records)");
  metrics_.describe("nebula_ingest_records_total", Metrics::Type::Counter, "Records submitted by transports, by result");
  metrics_.describe("nebula_ingest_payloads_total", Metrics::Type::Counter, "Payloads submitted by transports, by result");
  metrics_.describe("nebula_pool_batches_total", Metrics::Type::Counter, "Record batches dispatched to processors");
  metrics_.describe("nebula_pool_records_processed_total", Metrics::Type::Counter, "Records dispatched to processors");
  metrics_.describe("nebula_processor_calls_total", Metrics::Type::Counter, "Processor calls");
  metrics_.describe("nebula_processor_failures_total", Metrics::Type::Counter, "Processor calls that failed (null result)");
  metrics_.describe("nebula_processor_seconds_total", Metrics::Type::Counter, "Time spent inside processors");
  metrics_.describe("nebula_insights_total", Metrics::Type::Counter, "Insights emitted, by component and topic");
  metrics_.describe("nebula_training_queue_depth", Metrics::Type::Gauge, "Insights waiting for an agent");
  metrics_.describe("nebula_training_rejected_total", Metrics::Type::Counter,
                    "Insights refused because an agent queue stayed full (producer told RETRY)");
  metrics_.describe("nebula_ingest_duplicates_total", Metrics::Type::Counter,
                    "Records recognised as already accepted (same node_id and seq) and not queued again");
  metrics_.describe("nebula_ingest_empty_records_total", Metrics::Type::Counter,
                    "Records in which no known metric was found (accepted with a warning, or rejected under "
                    "ingest.strict)");
  metrics_.describe("nebula_ingest_derived_identity_total", Metrics::Type::Counter,
                    "Records without a node_id whose identity was derived from the sender's address");
  metrics_.describe("nebula_ingest_identity_conflicts_total", Metrics::Type::Counter,
                    "Records whose derived identity looks shared by several nodes (a counter went backwards)");
  metrics_.describe("nebula_ingest_identities_unwatched", Metrics::Type::Gauge,
                    "Derived identities not watched for sharing because the watch is full (100000)");
  metrics_.describe("nebula_ingest_limited_total", Metrics::Type::Counter,
                    "Payloads refused by limits.records_per_second_per_node");
  metrics_.describe("nebula_wal_write_failures_total", Metrics::Type::Counter,
                    "Payloads answered 503 because the write-ahead log could not take them");
  metrics_.describe("nebula_wal_damaged_regions_total", Metrics::Type::Counter,
                    "Damaged regions of the write-ahead log skipped on start");
  metrics_.describe("nebula_wal_damaged_bytes_total", Metrics::Type::Counter, "Damaged bytes skipped on start");
  metrics_.describe("nebula_wal_replayed_records_total", Metrics::Type::Counter, "Records replayed from the log on start");
  metrics_.describe("nebula_wal_replay_handed_over_records_total", Metrics::Type::Counter,
                    "Records the write-ahead log replay left out because another host had taken them over "
                    "(confirm_replay)");
  metrics_.describe("nebula_wal_bytes", Metrics::Type::Gauge, "Size of the write-ahead log on disk");
  metrics_.describe("nebula_wal_segments", Metrics::Type::Gauge, "Segment files of the write-ahead log");
  // A count only ever growing, mirrored from the log's own (Metrics::set on a counter).
  metrics_.describe("nebula_wal_fsyncs_total", Metrics::Type::Counter, "fdatasync calls on the write-ahead log");
  metrics_.describe("nebula_ready", Metrics::Type::Gauge,
                    "1 when the pool is started and no component reports itself not ready, else 0");
  metrics_.describe("nebula_ingest_admission_waits_total", Metrics::Type::Counter,
                    "Payloads that waited for room in a full pool queue before being queued or refused");
  metrics_.describe("nebula_dead_letters_total", Metrics::Type::Counter,
                    "Records, payloads and insights kept as dead letters, by component");
  metrics_.describe("nebula_dead_letters_replayed_total", Metrics::Type::Counter,
                    "Dead letters replayed into the pool (POST /api/v1/dead-letters/replay)");
  metrics_.set("nebula_pool_queue_capacity", {}, static_cast<double>(config.pool.queue_capacity));
}

Runtime::~Runtime() {
  shutdown();
}

std::vector<std::string> Runtime::create() {
  std::vector<std::string> errors;
  for (const auto& spec : config_.components) {
    const LoadedPlugin* plugin = registry_.find(spec.plugin);
    if (!plugin) {
      errors.push_back("component '" + spec.id + "': no plugin with id '" + spec.plugin + "'");
      continue;
    }
    auto dir = (std::filesystem::path(config_.state_dir) / "components" / spec.id).string();
    auto component = std::make_unique<Component>(spec, *plugin, *this, dir);
    if (auto why = component->create(); !why.empty()) {
      errors.push_back("component '" + spec.id + "' (" + spec.plugin + "): create failed: " + why);
      continue;
    }
    components_.push_back(std::move(component));
  }
  if (errors.empty()) wire();
  return errors;
}

// Derives stages and routes from the `inputs` wiring (already checked for
// cycles and kinds by the config loader).
void Runtime::wire() {
  for (auto& c : components_)
    if (c->kind() == NEBULA_KIND_TRANSPORT) {
      transports_.push_back(c.get());
      transport_slots_.push_back(c->id());
    }
  ProcessorGraph graph = build_processor_graph(components_);
  processors_ = std::move(graph.nodes);
  max_level_ = graph.max_level;
  emitter_rank_ = std::move(graph.rank);

  training_budget_ = std::make_unique<TrainingCpuBudget>(config_.training.cpu_limit);
  for (auto& c : components_) {
    if (c->kind() == NEBULA_KIND_AGENT)
      agents_.push_back(std::make_unique<AgentWorker>(*c, config_.training, *training_budget_, metrics_));
    if (c->kind() == NEBULA_KIND_SINK)
      sinks_.push_back(std::make_unique<SinkWorker>(*c, config_.sinks, metrics_, dead_letters_));
  }
}

Runtime::ProcessorGraph Runtime::build_processor_graph(const std::vector<std::unique_ptr<Component>>& components) const {
  ProcessorGraph graph;
  std::map<std::string, const Component*> by_id;
  for (auto& c : components) by_id[c->id()] = c.get();
  std::map<std::string, ProcessorNode*> nodes;
  for (auto& c : components) {
    if (c->kind() != NEBULA_KIND_PROCESSOR) continue;
    auto node = std::make_unique<ProcessorNode>();
    node->component = c.get();
    for (const auto& input : c->spec().inputs) {
      auto it = by_id.find(input);
      if (it == by_id.end()) continue;
      if (it->second->kind() == NEBULA_KIND_TRANSPORT) {
        if (const int slot = transport_slot(input); slot >= 0 && slot < 64) node->transport_mask |= uint64_t{1} << slot;
      } else {
        node->insight_inputs.push_back(input);
      }
    }
    nodes[c->id()] = node.get();
    graph.nodes.push_back(std::move(node));
  }
  // level = 1 + the deepest processor input; iterate to a fixed point (acyclic).
  for (bool changed = true; changed;) {
    changed = false;
    for (auto& n : graph.nodes)
      for (const auto& in : n->insight_inputs)
        if (auto it = nodes.find(in); it != nodes.end() && n->level <= it->second->level) {
          n->level = it->second->level + 1;
          changed = true;
        }
  }
  std::stable_sort(graph.nodes.begin(), graph.nodes.end(), [](auto& a, auto& b) { return a->level < b->level; });
  for (auto& n : graph.nodes) graph.max_level = std::max(graph.max_level, n->level);
  for (size_t i = 0; i < graph.nodes.size(); ++i) graph.rank.emplace(graph.nodes[i]->component->id(), int(i));
  return graph;
}

std::vector<std::string> Runtime::start() {
  std::vector<std::string> errors;
  for (auto& sink : sinks_) sink->start();  // first: everything else may emit to them
  if (config_.training.enabled)
    for (auto& a : agents_) a->start();
  if (auto wal_errors = open_wal(); !wal_errors.empty()) return wal_errors;
  dispatcher_ = std::thread([this] { dispatch_loop(); });
  replay_wal();
  start_console();  // the web console's fleet store follows from here on
  accepting_ = true;
  for (auto* t : transports_) {
    char err[NEBULA_ERROR_CAP] = {0};
    std::lock_guard lock(t->data_mu);
    if (t->server()->start(t->instance(), err, sizeof err) != NEBULA_OK)
      errors.push_back("transport '" + t->id() + "' failed to start: " + err);
  }
  ready_ = errors.empty();
  return errors;
}

void Runtime::shutdown() {
  std::lock_guard lifecycle(lifecycle_mu_);  // a reload under way finishes first
  if (draining_.exchange(true)) return;
  stop_console();  // its sampler reads the agents, which go below
  // Sinks get most of the shutdown timeout; the rest is left for destroying.
  const auto sinks_deadline = std::chrono::steady_clock::now() + config_.shutdown_timeout * 3 / 4;
  ready_ = false;
  accepting_ = false;
  // 1. Transports: stop taking input; their in-flight submissions finish.
  for (auto* t : transports_) {
    if (!t->instance()) continue;
    char err[NEBULA_ERROR_CAP] = {0};
    if (t->server()->stop(t->instance(), err, sizeof err) != NEBULA_OK)
      spdlog::warn("[{}] stop failed: {}", t->id(), err);
  }
  // 2. Drain the pool queue: the dispatcher exits once it is empty.
  pool_queue_.close();
  if (dispatcher_.joinable()) dispatcher_.join();
  // 3. Flush processors stage by stage so flushed insights still flow downstream.
  flush_processors();
  if (wal_) save_dedup_snapshot();  // the log itself syncs and closes when the runtime goes
  // 4. Agents train on what is queued, then checkpoint.
  for (auto& c : components_) timers_.cancel(c.get());
  timers_.stop();
  for (auto& a : agents_) a->drain_and_stop();
  agents_.clear();
  // 5. Sinks deliver what processors and agents emitted; what they cannot
  // deliver by the deadline is dead-lettered.
  for (auto& sink : sinks_) sink->drain_and_stop(sinks_deadline);
  for (auto& c : components_) c->destroy();
}

void Runtime::dispatch_loop() {
  on_dispatcher = true;
  for (;;) {
    dispatcher_beat_ = std::chrono::steady_clock::now().time_since_epoch().count();
    auto items = pool_queue_.pop_batch(config_.pool.batch_max_records, config_.pool.batch_max_wait);
    popped_ += items.size();
    cross_reload_boundary(items);
    const bool closed = pool_queue_.closed();
    if (items.empty() && inboxes_empty()) {
      if (closed && pool_queue_.size() == 0) break;
      continue;
    }
    run_cycle(items);
    commit_processed(items);
  }
}

bool Runtime::inboxes_empty() {
  for (auto& n : processors_) {
    std::lock_guard lock(n->inbox_mu);
    if (!n->inbox.empty()) return false;
  }
  return true;
}

// The rows of `items` a processor takes: those from the transports it
// listens to, plus dead-letter replays meant for it alone.
Runtime::CycleBatch Runtime::batch_for(const std::vector<PoolItem>& items, uint64_t transport_mask, int index) {
  std::vector<const PoolItem*> rows;
  auto builder = RecordBatchBuilder::canonical();
  const size_t lsn_column = builder.add_column(std::string(kLsnColumn), fields::Type::Int64);
  for (const auto& item : items) {
    const bool wanted = item.target == -1
                            ? item.source == kAnySource || (transport_mask & (uint64_t{1} << item.source))
                            : item.target == index;
    if (!wanted) continue;
    append_record(builder, item.record);
    builder.append_int(lsn_column, static_cast<int64_t>(item.lsn));
    rows.push_back(&item);
  }
  return CycleBatch{OwnedBatch(std::move(builder)), std::move(rows)};
}

void Runtime::run_cycle(std::vector<PoolItem>& items) {
  metrics_.set("nebula_pool_queue_depth", {}, static_cast<double>(pool_queue_.size()));
  // One columnar batch per distinct set of transports a processor listens to;
  // a processor with a dead-letter replay in this cycle gets its own.
  std::map<uint64_t, CycleBatch> shared;
  std::map<int, CycleBatch> own;
  if (!items.empty()) {
    std::set<int> targets;
    for (const auto& item : items)
      if (item.target >= 0) targets.insert(item.target);
    for (size_t i = 0; i < processors_.size(); ++i) {
      const uint64_t mask = processors_[i]->transport_mask;
      if (targets.count(int(i)))
        own.emplace(int(i), batch_for(items, mask, int(i)));
      else if (mask && !shared.count(mask))
        shared.emplace(mask, batch_for(items, mask, int(i)));
    }
    observe_fleet(items);  // the web console's per-node view
    ++batches_;
    records_processed_ += items.size();
    if (record_tap_.listening())  // a transport's records, as they leave the pool queue
      for (const auto& item : items)
        if (item.source < transport_slots_.size())
          record_tap_.publish(transport_slots_[item.source], 1, [&](size_t) -> const Record& { return item.record; });
    metrics_.add("nebula_pool_batches_total", {});
    metrics_.add("nebula_pool_records_processed_total", {}, static_cast<double>(items.size()));
  }
  // Stages in order; processors of one stage run in parallel, the ones that
  // took longest lately first (longest-processing-time-first: with the
  // longest started last, the stage lasts until it alone finishes). Their
  // answers do not depend on this order: each has its own state, and its
  // inbox is put in emitter order (in_emitter_order).
  struct Work {
    ProcessorNode* node;
    const CycleBatch* batch;
  };
  for (int level = 0; level <= max_level_; ++level) {
    std::vector<Work> work;
    for (size_t i = 0; i < processors_.size(); ++i) {
      auto& n = processors_[i];
      if (n->level != level) continue;
      const CycleBatch* batch = nullptr;
      if (auto it = own.find(int(i)); it != own.end()) batch = &it->second;
      else if (auto it2 = shared.find(n->transport_mask); it2 != shared.end()) batch = &it2->second;
      if (batch && batch->rows.empty()) batch = nullptr;
      work.push_back({n.get(), batch});
    }
    std::stable_sort(work.begin(), work.end(), [](const Work& a, const Work& b) {
      return a.node->recent_seconds.load(std::memory_order_relaxed) >
             b.node->recent_seconds.load(std::memory_order_relaxed);
    });
    std::vector<std::function<void()>> tasks;
    for (const Work& w : work) tasks.push_back([this, w] { run_processor(*w.node, w.batch); });
    pool_threads_.run_all(std::move(tasks));
  }
}

void Runtime::run_processor(ProcessorNode& node, const CycleBatch* batch) {
  Component& c = *node.component;
  std::vector<InsightPtr> inbox;
  {
    std::lock_guard lock(node.inbox_mu);
    inbox.swap(node.inbox);
  }
  if (!batch && inbox.empty()) return;
  in_emitter_order(inbox);
  const Labels labels{{"component", c.id()}};
  std::lock_guard lock(c.data_mu);
  auto started = std::chrono::steady_clock::now();
  char err[NEBULA_ERROR_CAP];
  if (batch) {
    if (record_tap_.listening())
      record_tap_.publish(c.id(), batch->rows.size(), [&](size_t i) -> const Record& { return batch->rows[i]->record; });
    err[0] = '\0';
    ++c.calls;
    metrics_.add("nebula_processor_calls_total", labels);
    nebula_status st = process_batch(c, *batch, err, sizeof err);
    if (st != NEBULA_OK) record_failure(c, "record batch", st, err);
  }
  for (auto& insight : inbox) {
    err[0] = '\0';
    ++c.calls;
    metrics_.add("nebula_processor_calls_total", labels);
    nebula_insight view = insight->view();
    nebula_status st = c.processor()->process_insight(c.instance(), &view, err, sizeof err);
    if (st != NEBULA_OK) record_failure(c, "insight", st, err);
  }
  if (NEBULA_TABLE_HAS(nebula_processor_v1, c.processor(), end_cycle)) {
    err[0] = '\0';
    nebula_status st = c.processor()->end_cycle(c.instance(), err, sizeof err);
    if (st != NEBULA_OK) record_failure(c, "end of cycle", st, err);
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  metrics_.add("nebula_processor_seconds_total", labels, seconds);
  // Smoothed over ~8 calls: one slow batch does not reorder the stage.
  const double recent = node.recent_seconds.load(std::memory_order_relaxed);
  node.recent_seconds.store(recent + (seconds - recent) / 8, std::memory_order_relaxed);
}

// The processors of a stage run in parallel, so their insights reach a
// downstream inbox in whatever order the threads finished: delivered that
// way, a processor's answers would depend on thread timing. Each emitter's
// insights stay in emission order; emitters come in stage-then-file order;
// others (not processors) after them.
void Runtime::in_emitter_order(std::vector<InsightPtr>& inbox) const {
  if (inbox.size() < 2) return;
  auto rank = [this](const InsightPtr& in) {
    auto it = emitter_rank_.find(in->source);
    return it == emitter_rank_.end() ? INT_MAX : it->second;
  };
  std::stable_sort(inbox.begin(), inbox.end(), [&](const InsightPtr& a, const InsightPtr& b) {
    const int ra = rank(a), rb = rank(b);
    return ra != rb ? ra < rb : a->sequence < b->sequence;
  });
}

// A failing processor yields a null result for itself only: counted, logged,
// and the other processors of the stage carry on.
void Runtime::record_failure(Component& c, const char* what, nebula_status st, const char* err) {
  uint64_t n = ++c.failures;
  metrics_.add("nebula_processor_failures_total", {{"component", c.id()}});
  // Log the first failures and then every 100th, so a broken plugin cannot flood the log.
  if (n <= 5 || n % 100 == 0)
    spdlog::warn("[{}] {} failed (status {}, failure #{}): {}", c.id(), what, static_cast<int>(st), n, err);
}

void Runtime::flush_processors(const std::function<bool(const Component&)>& which) {
  const bool was_on_dispatcher = on_dispatcher;
  for (int level = 0; level <= max_level_; ++level) {
    std::vector<std::function<void()>> tasks;
    for (auto& n : processors_) {
      if (n->level != level || !n->component->processor()->flush) continue;
      if (which && !which(*n->component)) continue;
      Component* c = n->component;
      tasks.push_back([this, c] {
        char err[NEBULA_ERROR_CAP] = {0};
        std::lock_guard lock(c->data_mu);
        nebula_status st = c->processor()->flush(c->instance(), err, sizeof err);
        if (st != NEBULA_OK) record_failure(*c, "flush", st, err);
      });
    }
    pool_threads_.run_all(std::move(tasks));
    std::vector<PoolItem> none;
    on_dispatcher = true;
    while (!inboxes_empty()) run_cycle(none);
    on_dispatcher = was_on_dispatcher;
  }
}

AgentWorker* Runtime::agent(const std::string& name) const {
  for (auto& a : agents_)
    if (a->component().id() == name) return a.get();
  return nullptr;
}

std::vector<AgentWorker*> Runtime::agents() const {
  std::vector<AgentWorker*> out;
  for (auto& a : agents_) out.push_back(a.get());
  return out;
}

std::vector<SinkWorker*> Runtime::sinks() const {
  std::vector<SinkWorker*> out;
  for (auto& sink : sinks_) out.push_back(sink.get());
  return out;
}

SinkWorker* Runtime::history_sink() const {
  for (auto& sink : sinks_)
    if (sink->keeps_history()) return sink.get();
  return nullptr;
}

bool runtime_on_dispatcher() { return on_dispatcher; }

}  // namespace nebula::host
