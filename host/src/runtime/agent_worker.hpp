// The training side of one agent: its bounded insight queue, its own
// training thread (so agents train in parallel and off the ingest path, at
// `training.priority`), batching by size or age, and periodic / final
// checkpoints.
#pragma once

#include <atomic>
#include <chrono>
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
#include "runtime/owned_insight.hpp"

namespace nebula::host {

class AgentWorker {
 public:
  AgentWorker(Component& component, const TrainingSettings& settings, Metrics& metrics);
  ~AgentWorker();

  Component& component() const { return component_; }
  const std::vector<std::string>& topics() const { return topics_; }
  // True when an insight from `source` on `topic` is for this agent.
  bool wants(const std::string& source, const std::string& topic) const;
  // Queues an insight. At training.priority normal it waits up to `timeout`
  // for room (false = still full); at idle or low it never waits and drops
  // the oldest queued insight instead (counted). False when closed.
  bool offer(const InsightPtr& insight, std::chrono::milliseconds timeout);
  size_t queue_depth() const { return queue_.size(); }

  // Restores the checkpoint (a damaged one is reported and set aside) and
  // starts the training thread.
  void start();
  // Closes the queue, trains on what is left, checkpoints, joins.
  void drain_and_stop();

  // [thread-safe] plugin query / stats passthrough.
  bool query(const std::string& request, std::string& answer, std::string& error) const;
  nlohmann::json describe() const;

  std::string checkpoint_path() const;

 private:
  void run();
  void train(std::vector<InsightPtr>& batch);
  void checkpoint();
  void restore();

  Component& component_;
  TrainingSettings settings_;
  Metrics& metrics_;
  std::vector<std::string> topics_;
  std::set<std::string> inputs_;
  BoundedQueue<InsightPtr> queue_;
  std::thread thread_;
  Labels labels_;

  mutable std::mutex status_mu_;
  std::string last_error_;
  std::string checkpoint_status_ = "none";
  std::string priority_ = "not started";  // what the training thread runs at
  double last_checkpoint_time_ = 0;
  std::atomic<uint64_t> batches_{0};
  std::atomic<uint64_t> insights_{0};
  std::atomic<uint64_t> failures_{0};
  std::atomic<uint64_t> dropped_{0};
  std::atomic<uint64_t> checkpoints_{0};
};

}  // namespace nebula::host
