// The running pipeline: components created from the YAML, the bounded pool
// queue fed by transports, the dispatcher that runs processor stages on a
// thread pool, insight routing, and one training worker per agent.
//
//  transports ──submit──▶ pool queue ──batch──▶ stage 0 ∥ ─▶ stage 1 ∥ ─▶ …
//                                                   │ insights (routed by wiring)
//                                                   ▼
//                                  insight store, downstream inboxes, agent queues
#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/pipeline_config.hpp"
#include "ingest/record.hpp"
#include "metrics/metrics.hpp"
#include "runtime/agent_worker.hpp"
#include "runtime/bounded_queue.hpp"
#include "runtime/component.hpp"
#include "runtime/insight_store.hpp"
#include "runtime/plugin_registry.hpp"
#include "runtime/thread_pool.hpp"
#include "runtime/timer_service.hpp"

namespace nebula::host {

struct PoolItem {
  Record record;
  uint32_t source = 0;  // index of the transport that accepted it
};

class Runtime : public ComponentServices {
 public:
  Runtime(const PipelineConfig& config, const PluginRegistry& registry, Metrics& metrics);
  ~Runtime() override;

  // Creates every component in file order. Returns one message per failure.
  std::vector<std::string> create();
  // Restores agents, starts the dispatcher, then the transports (last, so
  // nothing is accepted before the pipeline can take it).
  std::vector<std::string> start();
  // not ready → stop transports → drain queue → flush processors (stage
  // order) → drain agents + checkpoint → destroy. Blocks until done.
  void shutdown();

  bool ready() const { return ready_; }
  bool draining() const { return draining_; }

  nlohmann::json stats() const;
  nlohmann::json endpoints() const;  // what each transport describes (bound ports)
  InsightStore& insights() { return store_; }
  AgentWorker* agent(const std::string& name) const;
  std::vector<AgentWorker*> agents() const;
  void refresh_gauges();

  // ComponentServices
  void log(Component& c, nebula_log_level level, const char* msg) override;
  nebula_status emit(Component& c, const char* topic, const char* json, size_t len, char* err, size_t cap) override;
  nebula_status submit(Component& c, const char* format, const void* data, size_t len, const char* meta,
                       nebula_verdict* out) override;
  void counter_add(Component& c, const char* name, double delta) override;
  void gauge_set(Component& c, const char* name, double value) override;
  nebula_status schedule(Component& c, uint64_t delay_ms, uint64_t period_ms, void (*cb)(void*), void* user) override;

 private:
  struct ProcessorNode {
    Component* component = nullptr;
    int level = 0;
    uint64_t transport_mask = 0;  // bit i: takes records from transport i
    std::vector<std::string> insight_inputs;
    std::mutex inbox_mu;
    std::vector<InsightPtr> inbox;
  };

  void wire();
  void dispatch_loop();
  void run_cycle(std::vector<PoolItem>& items);
  void run_processor(ProcessorNode& node, const OwnedBatch* batch);
  bool inboxes_empty();
  void flush_processors();
  void route(Component& from, const InsightPtr& insight, char* err, size_t cap, nebula_status& status);
  void record_failure(Component& c, const char* what, nebula_status st, const char* err);
  static void fill_verdict(nebula_verdict* out, nebula_status st, uint32_t http, uint32_t accepted, uint32_t rejected,
                           uint32_t retry_ms, int64_t last_seq, std::string body);

  PipelineConfig config_;
  const PluginRegistry& registry_;
  Metrics& metrics_;
  std::vector<std::unique_ptr<Component>> components_;
  std::vector<Component*> transports_;
  std::vector<std::unique_ptr<ProcessorNode>> processors_;  // sorted by level
  int max_level_ = 0;
  std::vector<std::unique_ptr<AgentWorker>> agents_;

  BoundedQueue<PoolItem> pool_queue_;
  InsightStore store_;
  ThreadPool pool_threads_;
  TimerService timers_;
  std::thread dispatcher_;

  std::atomic<bool> ready_{false};
  std::atomic<bool> draining_{false};
  std::atomic<bool> accepting_{false};
  std::atomic<uint64_t> insight_sequence_{0};
  std::atomic<uint64_t> records_accepted_{0};
  std::atomic<uint64_t> records_rejected_{0};
  std::atomic<uint64_t> payloads_retry_{0};
  std::atomic<uint64_t> records_processed_{0};
  std::atomic<uint64_t> batches_{0};
  std::chrono::steady_clock::time_point started_at_ = std::chrono::steady_clock::now();
};

}  // namespace nebula::host
