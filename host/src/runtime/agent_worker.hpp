// The training side of one agent: its training reservoir (what it learns
// from when it cannot keep up: a uniform sample, counted), its own training
// thread (so agents train in parallel and off the ingest path, at
// `training.priority`), batching by size or age, its turn under the pool's
// training CPU budget (`training.cpu_limit`), and periodic / final
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
#include "runtime/component.hpp"
#include "runtime/owned_insight.hpp"
#include "runtime/training_cpu_budget.hpp"
#include "runtime/training_reservoir.hpp"

namespace nebula::host {

class AgentWorker {
 public:
  // `budget` is shared by all agents and must outlive this worker.
  AgentWorker(Component& component, const TrainingSettings& settings, TrainingCpuBudget& budget, Metrics& metrics);
  ~AgentWorker();

  Component& component() const { return component_; }
  const std::vector<std::string>& topics() const { return topics_; }
  // True when an insight from `source` on `topic` is for this agent.
  bool wants(const std::string& source, const std::string& topic) const;
  // [any thread] Offers an insight to training. At training.priority idle
  // or low it never waits: the reservoir keeps a uniform sample of what is
  // offered between two takes, and an insight sampled away is counted as
  // skipped (true all the same: nothing is owed to the producer). At normal
  // it waits up to `timeout` for room and never samples: false = still full
  // (the producer is told RETRY; counted as skipped too). False when closed.
  bool offer(const InsightPtr& insight, std::chrono::milliseconds timeout);
  // [thread-safe] Insights offered and not yet through learn(): held in the
  // reservoir, or taken and waiting for their batch.
  size_t queue_depth() const;

  // Restores the checkpoint (a damaged one is reported and set aside) and
  // starts the training thread.
  void start();
  // Closes the queue, trains on what is left, checkpoints, joins.
  void drain_and_stop();

  // [thread-safe] plugin query / stats passthrough.
  bool query(const std::string& request, std::string& answer, std::string& error) const;
  nlohmann::json describe() const;
  // Mirrors what the agent's stats() says about its model on /metrics:
  // nebula_agent_{train_loss,validation_loss,model_version,training_steps},
  // nebula_agent_examples_learned_total. Called on each scrape.
  void publish_model_metrics() const;

  std::string checkpoint_path() const;

 private:
  void run();
  // [training thread] learn() on the round (after what was carried over) in
  // batches of batch_max_insights; the last partial one is learned now when
  // due, else carried over to the next round.
  void train_round(std::vector<InsightPtr>& round, bool partial_batch_due,
                   std::chrono::steady_clock::time_point& next_checkpoint);
  void train(std::vector<InsightPtr>& batch);
  void publish_sample_rate(const TrainingReservoir<InsightPtr>::Round& round);
  // [training thread] The first call after the reservoir closed moves the
  // drain to the process's priority (training_thread.hpp says why); a refusal
  // is logged. Other calls do nothing.
  void drain_at_process_priority_once_closed();
  void note_skipped();
  void checkpoint();
  void restore();

  Component& component_;
  TrainingSettings settings_;
  TrainingCpuBudget& budget_;
  Metrics& metrics_;
  std::vector<std::string> topics_;
  std::set<std::string> inputs_;
  TrainingReservoir<InsightPtr> reservoir_;
  std::vector<InsightPtr> carried_;  // [training thread] taken, short of a full batch
  bool draining_ = false;             // [training thread] the drain left the training priority
  std::thread thread_;
  Labels labels_;

  mutable std::mutex status_mu_;
  std::string last_error_;
  std::string checkpoint_status_ = "none";
  std::string priority_ = "not started";  // what the training thread runs at
  double last_checkpoint_time_ = 0;
  std::atomic<uint64_t> batches_{0};
  std::atomic<uint64_t> failures_{0};
  std::atomic<uint64_t> sampled_{0};    // insights that reached learn()
  std::atomic<double> sample_rate_{1};  // of the last round that offered any
  std::atomic<double> cpu_seconds_{0};  // [training thread writes] CPU learn() used
  std::atomic<double> throttled_seconds_{0};  // [training thread writes] waited for the budget
  std::atomic<uint64_t> checkpoints_{0};
};

}  // namespace nebula::host
