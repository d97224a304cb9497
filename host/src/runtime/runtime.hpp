// The running pipeline: components created from the YAML, the bounded pool
// queue fed by transports, the dispatcher that runs processor stages on a
// thread pool, insight routing, and one training worker per agent.
//
//  transports ──submit──▶ pool queue ──batch──▶ stage 0 ∥ ─▶ stage 1 ∥ ─▶ …
//                                                   │ insights (routed by wiring)
//                                                   ▼
//                  insight store, downstream inboxes, agent queues, sink queues
//                  (agents' own insights are routed the same way)
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/pipeline_config.hpp"
#include "ingest/decode_result.hpp"
#include "ingest/record.hpp"
#include "metrics/metrics.hpp"
#include "runtime/agent_worker.hpp"
#include "runtime/bounded_queue.hpp"
#include "runtime/component.hpp"
#include "runtime/dead_letters.hpp"
#include "runtime/fleet_store.hpp"
#include "runtime/insight_broadcast.hpp"
#include "runtime/insight_store.hpp"
#include "runtime/identity_watch.hpp"
#include "runtime/log_throttle.hpp"
#include "runtime/node_rate_limiter.hpp"
#include "runtime/pipeline_diff.hpp"
#include "runtime/periodic_sampler.hpp"
#include "runtime/plugin_metrics.hpp"
#include "runtime/plugin_registry.hpp"
#include "runtime/record_tap.hpp"
#include "runtime/sink_worker.hpp"
#include "runtime/thread_pool.hpp"
#include "runtime/timer_service.hpp"
#include "wal/dedup_index.hpp"
#include "wal/write_ahead_log.hpp"

namespace nebula::host {

// Every record batch carries this column beside the canonical ones: the
// record's log position, the same on every delivery (replays included), so a
// processor that writes outside the host can skip what it already applied.
inline constexpr std::string_view kLsnColumn = "pool.lsn";
inline constexpr uint32_t kAnySource = UINT32_MAX;  // replayed from a transport no longer configured
inline constexpr int kNoProcessor = -2;              // meant for a processor no longer configured

struct PoolItem {
  Record record;
  uint32_t source = 0;  // index of the transport that accepted it
  uint64_t lsn = 0;     // its write-ahead-log position (a counter when the log is off)
  int target = -1;      // processor index for a dead-letter replay; -1 = every processor
};

class Runtime : public ComponentServices {
 public:
  Runtime(const PipelineConfig& config, const PluginRegistry& registry, Metrics& metrics);
  ~Runtime() override;

  // Creates every component in file order. Returns one message per failure.
  std::vector<std::string> create();
  // Restores agents, starts the dispatcher, opens the write-ahead log and
  // replays what it holds, then starts the transports (last, so nothing new
  // is accepted before the pipeline can take it and the replay is queued).
  std::vector<std::string> start();
  // not ready → stop transports → drain queue → flush processors (stage
  // order) → drain agents + checkpoint → destroy. Blocks until done.
  void shutdown();
  // Applies a new pipeline (already checked like `validate` does, against
  // this runtime's plugins) while the pool runs: only what changed restarts,
  // queues and the log stay, every record meets one version of each
  // component (runtime_reload.cpp, docs/reload.md). Never overlaps
  // shutdown() or another reload.
  ReloadReport reload(const PipelineConfig& next);
  // Held while using what agent(), agents(), sinks() and history_sink()
  // return: a reload retires components only when no reader holds it.
  std::shared_lock<std::shared_mutex> read_topology() const { return std::shared_lock(topology_mu_); }

  // Started, and no component reports itself not ready (set_ready).
  bool ready() const { return ready_ && not_ready().empty(); }
  bool started() const { return ready_; }
  // {component id, reason} of every component that reported not ready.
  std::vector<std::pair<std::string, std::string>> not_ready() const;
  bool draining() const { return draining_; }
  // Since the dispatcher last went round its loop, which it does at least
  // every batch_max_wait, idle or busy: long silence means a stuck stage
  // (the systemd watchdog stops pinging on it).
  std::chrono::steady_clock::duration dispatcher_silence() const {
    return std::chrono::steady_clock::now() - std::chrono::steady_clock::time_point(
                                                  std::chrono::steady_clock::duration(dispatcher_beat_.load()));
  }

  nlohmann::json stats() const;
  nlohmann::json wal_stats() const;
  nlohmann::json endpoints() const;  // what each transport describes (bound ports)
  InsightStore& insights() { return store_; }
  InsightBroadcast& live_insights() { return broadcast_; }
  RecordTap& record_tap() { return record_tap_; }
  // Under read_topology():
  AgentWorker* agent(const std::string& name) const;
  std::vector<AgentWorker*> agents() const;
  std::vector<SinkWorker*> sinks() const;
  // The sink that serves /api/v1/pool/insights history: the first one in
  // file order that answers queries; null when none does.
  SinkWorker* history_sink() const;
  void refresh_gauges();

  // ComponentServices
  void log(Component& c, nebula_log_level level, const char* msg) override;
  nebula_status emit(Component& c, const char* topic, const char* json, size_t len, char* err, size_t cap) override;
  nebula_status submit(Component& c, const char* format, const void* data, size_t len, const char* meta,
                       nebula_verdict* out) override;
  void counter_add(Component& c, const char* name, double delta) override;
  void gauge_set(Component& c, const char* name, double value) override;
  nebula_status schedule(Component& c, uint64_t delay_ms, uint64_t period_ms, void (*cb)(void*), void* user) override;
  nebula_status reject_record(Component& c, int64_t row, const char* reason) override;
  nebula_status dead_letter_payload(Component& c, const char* format, const void* data, size_t len,
                                    const char* reason) override;
  nebula_status metric_declare(Component& c, const char* name, nebula_metric_type type, const char* help,
                               const char* const* labels, size_t n_labels, const double* bounds, size_t n_bounds,
                               size_t max_series, char* err, size_t cap) override;
  nebula_status metric_update(Component& c, const char* name, const char* const* values, size_t n,
                              double value) override;

  // Queues every pending dead letter again, each for the processor that
  // rejected it only. Returns {"replayed": n, "kept": m, "errors": [...]}.
  nlohmann::json replay_dead_letters();
  const DeadLetterStore& dead_letters() const { return dead_letters_; }

  // The web console (runtime_console.cpp): the fleet store it reads, and the
  // components with their inputs (the YAML graph).
  const FleetStore& fleet() const { return fleet_; }
  nlohmann::json graph() const;

 private:
  struct ProcessorNode {
    Component* component = nullptr;
    int level = 0;
    uint64_t transport_mask = 0;  // bit i: takes records from transport i
    std::vector<std::string> insight_inputs;
    std::mutex inbox_mu;
    std::vector<InsightPtr> inbox;
    // Seconds its last calls took (a moving average): a stage starts its
    // longest processors first, so the last to finish is not a long one
    // picked up after the others (run_cycle).
    std::atomic<double> recent_seconds{0};
  };

  void wire();
  struct ProcessorGraph {
    std::vector<std::unique_ptr<ProcessorNode>> nodes;  // sorted by level
    int max_level = 0;
    std::unordered_map<std::string, int> rank;  // emitter_rank_
  };
  // Stages and routes from the `inputs` wiring of `components` (file order;
  // transports are known by their slot).
  ProcessorGraph build_processor_graph(const std::vector<std::unique_ptr<Component>>& components) const;
  // A reload's new topology, handed to the dispatcher (runtime_reload.cpp).
  struct TopologySwap;
  // [dispatcher] Once every record queued before a pending reload was taken:
  // runs those through the old pipeline, then applies the reload.
  void cross_reload_boundary(std::vector<PoolItem>& items);
  void apply_swap(TopologySwap& swap);
  void discard(std::vector<std::unique_ptr<Component>>& fresh);
  // The slot of a transport id (PoolItem::source), -1 when it has none.
  // Under topology_mu_ or gate_mu_, or on the dispatcher (slots are added
  // there, under both).
  int transport_slot(const std::string& id) const;
  // The running transport with this id, or null.
  Component* live_transport(const std::string& id) const;
  std::vector<std::string> open_wal();
  void replay_wal();
  void commit_processed(const std::vector<PoolItem>& items);
  void save_dedup_snapshot();
  int processor_index(const std::string& id) const;
  size_t drop_duplicates(std::vector<PoolItem>& items, std::vector<std::string_view>& lines);
  // Under gate_mu_: makes `items` durable and queues them. "" or why not;
  // `written` says whether they are in the log even so. `lines`: what the
  // log stores for each item (wal_lines), when the caller made them outside
  // the gate; else the items are encoded here.
  // `origin`: the transport's name for where the payload came from (asked
  // about again through confirm_replay when the log is replayed).
  std::string append_and_queue(std::vector<PoolItem>& items, const std::string& target, bool& written,
                               uint64_t& last_lsn, const std::vector<std::string_view>* lines = nullptr,
                               std::string_view origin = {});
  // Whether a logged payload from `source` with `origin` is still this
  // host's to process; waits (with backoff) while the transport cannot tell.
  bool confirm_replay(Component& source, const std::string& origin);
  std::optional<DeadLetter> replay_payload_letter(const nlohmann::json& letter, size_t& accepted);
  // Queues an insight letter for its sink again; false when that sink is gone.
  bool replay_insight_letter(const nlohmann::json& letter);
  void dispatch_loop();
  // A processor's rows of one cycle, and the items they came from (for
  // dead letters: row i of `batch` is *rows[i]).
  struct CycleBatch {
    OwnedBatch batch;
    std::vector<const PoolItem*> rows;
  };
  CycleBatch batch_for(const std::vector<PoolItem>& items, uint64_t transport_mask, int index);
  void run_cycle(std::vector<PoolItem>& items);
  void run_processor(ProcessorNode& node, const CycleBatch* batch);
  void in_emitter_order(std::vector<InsightPtr>& inbox) const;
  nebula_status process_batch(Component& c, const CycleBatch& batch, char* err, size_t cap);
  void write_dead_letters(Component& c, const CycleBatch& batch,
                          const std::vector<std::pair<int64_t, std::string>>& rejected);
  bool inboxes_empty();
  // Every processor, or those `which` names (a reload's outgoing ones).
  void flush_processors(const std::function<bool(const Component&)>& which = {});
  void route(Component& from, const InsightPtr& insight, char* err, size_t cap, nebula_status& status);
  void record_failure(Component& c, const char* what, nebula_status st, const char* err);
  void note_ingest_warnings(Component& c, DecodeResult& decoded);
  static void fill_verdict(nebula_verdict* out, nebula_status st, uint32_t http, uint32_t accepted, uint32_t rejected,
                           uint32_t retry_ms, int64_t last_seq, std::string body);

  PipelineConfig config_;
  const PluginRegistry& registry_;
  Metrics& metrics_;
  PluginMetrics plugin_metrics_{metrics_};
  std::vector<std::unique_ptr<Component>> components_;
  std::vector<Component*> transports_;
  // PoolItem::source → transport id. A slot never moves, so records queued
  // before a reload keep their transport; an id keeps its slot when its
  // transport is removed and comes back. At most 64 (transport masks).
  std::vector<std::string> transport_slots_;
  std::vector<std::unique_ptr<ProcessorNode>> processors_;  // sorted by level
  int max_level_ = 0;
  // Position of each processor in processors_ (stage, then file order): the
  // order in which a downstream inbox hands their insights on.
  std::unordered_map<std::string, int> emitter_rank_;
  // Shared by every agent's training thread; declared first, so it outlives them.
  std::unique_ptr<TrainingCpuBudget> training_budget_;
  std::vector<std::unique_ptr<AgentWorker>> agents_;
  std::vector<std::unique_ptr<SinkWorker>> sinks_;

  BoundedQueue<PoolItem> pool_queue_;
  std::unique_ptr<wal::WriteAheadLog> wal_;
  std::mutex gate_mu_;  // one order for dedup, log appends and queue pushes
  wal::DedupIndex dedup_;
  NodeRateLimiter limiter_;
  IdentityWatch identity_watch_;
  LogThrottle empty_record_log_;
  LogThrottle identity_log_;
  DeadLetterStore dead_letters_;
  uint64_t next_memory_lsn_ = 1;  // positions when the log is off
  InsightStore store_;
  InsightBroadcast broadcast_;
  RecordTap record_tap_;
  ThreadPool pool_threads_;
  TimerService timers_;
  std::thread dispatcher_;
  // Components, workers, graph and slots change only under it (exclusive, by
  // the dispatcher between two cycles, during a reload); routing and the
  // admin API's readers hold it shared.
  mutable std::shared_mutex topology_mu_;
  std::mutex lifecycle_mu_;  // a reload, a shutdown, a dead-letter replay: one at a time
  std::mutex swap_mu_;
  std::shared_ptr<TopologySwap> pending_swap_;  // under swap_mu_
  std::atomic<uint64_t> pushed_{0};  // records ever pushed onto the pool queue
  uint64_t popped_ = 0;              // [dispatcher] records ever taken from it

  std::atomic<bool> ready_{false};
  std::atomic<bool> draining_{false};
  std::atomic<std::chrono::steady_clock::rep> dispatcher_beat_{std::chrono::steady_clock::now().time_since_epoch().count()};
  std::atomic<bool> accepting_{false};
  std::atomic<uint64_t> insight_sequence_{0};
  std::atomic<uint64_t> records_accepted_{0};
  std::atomic<uint64_t> records_rejected_{0};
  std::atomic<uint64_t> payloads_retry_{0};
  std::atomic<uint64_t> records_duplicate_{0};
  std::atomic<uint64_t> payloads_limited_{0};
  std::atomic<uint64_t> wal_failures_{0};
  std::atomic<uint64_t> records_replayed_{0};
  std::atomic<uint64_t> records_replay_dropped_{0};
  std::atomic<uint64_t> records_processed_{0};
  std::atomic<uint64_t> batches_{0};
  std::chrono::steady_clock::time_point started_at_ = std::chrono::steady_clock::now();

  // The web console (runtime_console.cpp). The sampler is declared last so
  // it stops first; shutdown() stops it before the agents go.
  void start_console();
  void stop_console();
  void observe_fleet(const std::vector<PoolItem>& items);
  void sample_console();
  FleetStore fleet_{metrics_};
  PeriodicSampler console_sampler_;
};

}  // namespace nebula::host
