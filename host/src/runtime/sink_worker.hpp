// The delivery side of one sink: its own bounded queue and delivery thread,
// so a slow or dead destination never stalls processors, agents or ingest.
//
// What each outcome of the sink's deliver() leads to (docs/sinks.md):
//  OK              the batch is delivered; counted.
//  RETRY, IO, any  the same batch again after a backoff (doubling from
//  other failure   sinks.retry_initial_ms to retry_max_ms, full jitter), up
//                  to sinks.max_attempts deliveries; then its insights are
//                  dead-lettered.
//  INVALID         the insights are offered one by one; those refused again
//                  are dead-lettered, the rest delivered.
// An insight that finds the queue full is dead-lettered (by the delivery
// thread, so the emitter never waits on a disk), counted and logged. Dead
// letters go to the pool's dead-letter file and are replayed to this sink
// by POST /api/v1/admin/dead-letters/replay. Nothing is dropped silently.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/pipeline_config.hpp"
#include "metrics/metrics.hpp"
#include "runtime/bounded_queue.hpp"
#include "runtime/component.hpp"
#include "runtime/dead_letters.hpp"
#include "runtime/log_throttle.hpp"
#include "runtime/owned_insight.hpp"

namespace nebula::host {

class SinkWorker {
 public:
  SinkWorker(Component& component, const SinkSettings& settings, Metrics& metrics, DeadLetterStore& letters);
  ~SinkWorker();
  SinkWorker(const SinkWorker&) = delete;
  SinkWorker& operator=(const SinkWorker&) = delete;

  Component& component() const { return component_; }
  // True when an insight from `source` on `topic` is for this sink (its
  // inputs, narrowed by its YAML `topics:` list).
  bool wants(const std::string& source, const std::string& topic) const;
  // [any thread] Never waits: queued, or (queue full, or stopped) handed to
  // the delivery thread as a dead letter.
  void offer(const InsightPtr& insight);

  void start();
  // Closes the queue and delivers what it holds; retries stop at `deadline`
  // and what is still undelivered then is dead-lettered. Then flush(), join.
  void drain_and_stop(std::chrono::steady_clock::time_point deadline);

  // [thread-safe] Whether the plugin answers history queries.
  bool keeps_history() const;
  // [thread-safe] The plugin's query(); NEBULA_UNSUPPORTED when it has none.
  nebula_status query(const std::string& request, std::string& answer, std::string& error) const;
  nlohmann::json describe() const;
  size_t queue_depth() const { return queue_.size(); }

 private:
  void run();
  // Delivers `batch` as the class comment says; returns when every insight
  // in it is delivered or dead-lettered.
  void deliver_with_retry(const std::vector<InsightPtr>& batch);
  nebula_status deliver_once(const std::vector<InsightPtr>& batch, std::string& error);
  // Waits `pause` (or until the drain deadline), writing overflow letters meanwhile.
  bool pause_before_retry(std::chrono::milliseconds pause);
  void dead_letter(const std::vector<InsightPtr>& insights, const std::string& reason);
  void write_overflow_letters();
  void note_failure(nebula_status status, const std::string& error, size_t attempt);

  Component& component_;
  SinkSettings settings_;
  Metrics& metrics_;
  DeadLetterStore& letters_;
  std::set<std::string> inputs_;
  Labels labels_;
  BoundedQueue<InsightPtr> queue_;
  std::thread thread_;
  LogThrottle failure_log_;

  std::mutex overflow_mu_;
  std::condition_variable overflow_cv_;
  std::vector<InsightPtr> overflow_;  // refused by the full queue, waiting to be dead-lettered

  std::atomic<bool> delivering_{false};  // the delivery thread runs (start() until drain_and_stop())
  std::atomic<bool> draining_{false};
  std::atomic<int64_t> drain_deadline_ns_{0};  // steady_clock, set with draining_

  mutable std::mutex status_mu_;
  std::string last_error_;
  bool failing_ = false;
  std::atomic<uint64_t> delivered_{0};
  std::atomic<uint64_t> failed_attempts_{0};
  std::atomic<uint64_t> dead_lettered_{0};
  std::atomic<uint64_t> overflowed_{0};
};

}  // namespace nebula::host
