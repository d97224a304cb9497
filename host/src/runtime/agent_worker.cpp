#include "runtime/agent_worker.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>

#include "runtime/checkpoint_file.hpp"
#include "runtime/string_sink.hpp"
#include "runtime/training_thread.hpp"

namespace nebula::host {
namespace {

double now_seconds() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// The same agent samples the same way run after run (FNV-1a of its id).
uint64_t reservoir_seed(const std::string& agent_id) {
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : agent_id) h = (h ^ c) * 1099511628211ull;
  return h;
}

void describe_training_metrics(Metrics& metrics) {
  metrics.describe("nebula_training_offered_total", Metrics::Type::Counter, "Insights offered to an agent's training");
  metrics.describe("nebula_training_sampled_total", Metrics::Type::Counter,
                   "Offered insights that reached the agent's learn()");
  metrics.describe("nebula_training_skipped_total", Metrics::Type::Counter,
                   "Offered insights training never saw: sampled out of a full reservoir (priority idle/low) "
                   "or refused by a full one (normal)");
  metrics.describe("nebula_agent_train_loss", Metrics::Type::Gauge, "An agent's latest training loss (its stats())");
  metrics.describe("nebula_agent_validation_loss", Metrics::Type::Gauge,
                   "An agent's latest validation loss on held-out examples");
  metrics.describe("nebula_agent_model_version", Metrics::Type::Gauge,
                   "The version of an agent's current model (grows with each architecture change or rollback)");
  metrics.describe("nebula_agent_training_steps", Metrics::Type::Gauge, "Optimiser steps an agent has taken");
  metrics.describe("nebula_agent_examples_learned_total", Metrics::Type::Counter,
                   "Training examples an agent has learned from (its stats() samples)");
  metrics.describe("nebula_agent_batches_total", Metrics::Type::Counter, "Training batches an agent learned from");
  metrics.describe("nebula_agent_failures_total", Metrics::Type::Counter,
                   "Training batches an agent's learn() refused (the batch is not retried)");
  metrics.describe("nebula_agent_insights_total", Metrics::Type::Counter, "Insights handed to an agent's learn()");
  metrics.describe("nebula_agent_train_seconds_total", Metrics::Type::Counter, "Time spent in an agent's learn()");
  metrics.describe("nebula_training_cpu_seconds_total", Metrics::Type::Counter,
                   "CPU time an agent's learn() used (its training thread), charged to training.cpu_limit");
  metrics.describe("nebula_training_throttled_seconds_total", Metrics::Type::Counter,
                   "Time an agent's training waited for the pool's training CPU budget (training.cpu_limit); "
                   "meanwhile its reservoir samples");
  metrics.describe("nebula_agent_checkpoints_total", Metrics::Type::Counter, "Agent checkpoints written");
  metrics.describe("nebula_agent_checkpoint_failures_total", Metrics::Type::Counter,
                   "Agent checkpoints that could not be written");
  metrics.describe("nebula_agent_checkpoint_damaged_total", Metrics::Type::Counter,
                   "Damaged agent checkpoints set aside on start (the agent started fresh)");
  metrics.describe("nebula_training_sample_rate", Metrics::Type::Gauge,
                   "Share of the insights offered during the last sampling round (between two takes of the "
                   "training thread) that training learns from; 1 = it keeps up");
}

}  // namespace

AgentWorker::AgentWorker(Component& component, const TrainingSettings& settings, TrainingCpuBudget& budget,
                         Metrics& metrics)
    : component_(component),
      settings_(settings),
      budget_(budget),
      metrics_(metrics),
      inputs_(component.spec().inputs.begin(), component.spec().inputs.end()),
      reservoir_(settings.queue_capacity, reservoir_seed(component.id())),
      labels_{{"component", component.id()}} {
  describe_training_metrics(metrics_);
  metrics_.set("nebula_training_sample_rate", labels_, 1.0);
  const char* raw[64];
  size_t n = component.agent()->subscriptions(component.instance(), raw, 64);
  std::vector<std::string> subscribed(raw, raw + std::min<size_t>(n, 64));
  // A YAML `topics:` list narrows what the plugin subscribes to.
  const auto& filter = component.spec().topics;
  for (auto& t : subscribed)
    if (filter.empty() || std::find(filter.begin(), filter.end(), t) != filter.end()) topics_.push_back(t);
}

AgentWorker::~AgentWorker() { drain_and_stop(); }

bool AgentWorker::wants(const std::string& source, const std::string& topic) const {
  return inputs_.count(source) && std::find(topics_.begin(), topics_.end(), topic) != topics_.end();
}

bool AgentWorker::offer(const InsightPtr& insight, std::chrono::milliseconds timeout) {
  using Offer = TrainingReservoir<InsightPtr>::Offer;
  // At idle or low, waiting for a thread that only gets the CPU ingest leaves
  // would hand ingest that thread's priority: under sustained load ingest
  // would crawl at training speed. So the reservoir samples instead; at
  // normal the producer waits (back-pressure) and nothing is sampled away.
  const Offer verdict = settings_.priority == TrainingSettings::Priority::Normal
                            ? reservoir_.offer_waiting(insight, timeout)
                            : reservoir_.offer(insight);
  if (verdict == Offer::Closed) return false;
  metrics_.add("nebula_training_offered_total", labels_);
  if (verdict == Offer::KeptInPlaceOfOne || verdict == Offer::Skipped) note_skipped();
  metrics_.set("nebula_training_queue_depth", labels_, static_cast<double>(queue_depth()));
  return verdict != Offer::Skipped || settings_.priority != TrainingSettings::Priority::Normal;
}

void AgentWorker::note_skipped() {
  metrics_.add("nebula_training_skipped_total", labels_);
  const uint64_t n = reservoir_.counts().skipped;
  if (n == 1 || n % 1000 == 0)
    spdlog::warn("[{}] training cannot keep up: {} insights skipped so far; it learns from a uniform sample "
                 "(nebula_training_sample_rate)",
                 component_.id(), n);
}

size_t AgentWorker::queue_depth() const {
  // sampled_ first: it only grows, and never past what the counts say was taken.
  const uint64_t sampled = sampled_.load();
  const ReservoirCounts c = reservoir_.counts();
  return c.held + static_cast<size_t>(c.taken - std::min(sampled, c.taken));
}

std::string AgentWorker::checkpoint_path() const {
  return (std::filesystem::path(component_.state_dir()) / "checkpoint.bin").string();
}

void AgentWorker::start() {
  restore();
  thread_ = std::thread([this] { run(); });
}

void AgentWorker::drain_and_stop() {
  reservoir_.close();
  budget_.wake_all();  // a training thread waiting for its turn learns what is left now
  if (thread_.joinable()) thread_.join();
}

void AgentWorker::restore() {
  bool missing = false;
  char err[NEBULA_ERROR_CAP] = {0};
  const auto* agent = component_.agent();
  std::string why = read_checkpoint(checkpoint_path(), [&](const nebula_source* src) {
    return agent->load(component_.instance(), src, err, sizeof err);
  }, missing);
  std::lock_guard lock(status_mu_);
  if (missing) {
    checkpoint_status_ = "fresh (no checkpoint)";
    return;
  }
  if (why.empty()) {
    checkpoint_status_ = "restored";
    spdlog::info("[{}] resumed from checkpoint {}", component_.id(), checkpoint_path());
    return;
  }
  // A damaged checkpoint must never crash-loop the host: set it aside and go on fresh.
  const std::string aside = checkpoint_path() + ".damaged";
  std::error_code ec;
  std::filesystem::rename(checkpoint_path(), aside, ec);
  checkpoint_status_ = "damaged checkpoint set aside; started fresh";
  last_error_ = why + (err[0] ? std::string(": ") + err : "");
  metrics_.add("nebula_agent_checkpoint_damaged_total", labels_);
  spdlog::error("[{}] damaged checkpoint {} ({}); moved to {} and starting fresh", component_.id(), checkpoint_path(),
                last_error_, aside);
}

void AgentWorker::run() {
  // First, before learn() makes the first libtorch call: the threads libtorch
  // starts from this one inherit its priority.
  const TrainingThreadState state = become_training_thread(component_.id(), settings_.priority);
  if (!state.error.empty())
    spdlog::warn("[{}] training thread runs at {} priority: {}", component_.id(), state.priority, state.error);
  {
    std::lock_guard lock(status_mu_);
    priority_ = state.priority;
    if (!state.error.empty()) last_error_ = state.error;
  }
  auto next_checkpoint = std::chrono::steady_clock::now() + settings_.checkpoint_interval;
  const size_t per_batch = std::max<size_t>(settings_.batch_max_insights, 1);
  for (;;) {
    // A batch is due once the carried-over part of one is completed.
    const size_t wanted = per_batch - carried_.size();
    auto round = reservoir_.take(wanted, settings_.batch_max_wait);
    drain_at_process_priority_once_closed();
    publish_sample_rate(round);
    const bool idle = round.items.empty();
    // Waited out (or closed): what is there is learned now, a partial batch included.
    train_round(round.items, round.items.size() < wanted, next_checkpoint);
    if (std::chrono::steady_clock::now() >= next_checkpoint) {
      checkpoint();
      next_checkpoint = std::chrono::steady_clock::now() + settings_.checkpoint_interval;
    }
    // Closed means no offer is admitted any more: once empty, it stays so.
    if (idle && reservoir_.closed() && reservoir_.size() == 0) break;
  }
  checkpoint();
}

void AgentWorker::drain_at_process_priority_once_closed() {
  if (draining_ || !reservoir_.closed()) return;
  draining_ = true;
  const TrainingThreadState state = leave_training_priority();
  std::lock_guard lock(status_mu_);
  priority_ = state.priority;
  if (state.error.empty()) return;
  last_error_ = "drain stays at " + state.priority + ": " + state.error;
  spdlog::warn("[{}] training drain stays at {} ({}); on a busy machine the last checkpoint may not finish "
               "before shutdown.timeout_ms. Grant CAP_SYS_NICE or LimitNICE=+0 (docs/agents.md)",
               component_.id(), state.priority, state.error);
}

void AgentWorker::publish_sample_rate(const TrainingReservoir<InsightPtr>::Round& round) {
  metrics_.set("nebula_training_queue_depth", labels_, static_cast<double>(queue_depth()));
  if (round.offered == 0) return;  // a quiet round says nothing about keeping up
  const double rate = static_cast<double>(round.items.size()) / static_cast<double>(round.offered);
  sample_rate_ = rate;
  metrics_.set("nebula_training_sample_rate", labels_, rate);
}

void AgentWorker::train_round(std::vector<InsightPtr>& round, bool partial_batch_due,
                              std::chrono::steady_clock::time_point& next_checkpoint) {
  // The round is shuffled, so every batch of it is a uniform sample too.
  const size_t per_batch = std::max<size_t>(settings_.batch_max_insights, 1);
  std::vector<InsightPtr> batch = std::move(carried_);
  carried_.clear();
  for (size_t at = 0; at < round.size();) {
    const size_t n = std::min(round.size() - at, per_batch - batch.size());
    batch.insert(batch.end(), std::make_move_iterator(round.begin() + static_cast<std::ptrdiff_t>(at)),
                 std::make_move_iterator(round.begin() + static_cast<std::ptrdiff_t>(at + n)));
    at += n;
    if (batch.size() < per_batch) break;  // the round's last, partial batch
    train(batch);
    metrics_.set("nebula_training_queue_depth", labels_, static_cast<double>(queue_depth()));
    // A long round (training far behind) still checkpoints on time.
    if (std::chrono::steady_clock::now() >= next_checkpoint) {
      checkpoint();
      next_checkpoint = std::chrono::steady_clock::now() + settings_.checkpoint_interval;
    }
  }
  // A partial batch waits for the next round to fill it, as long as
  // batch_max_wait allows: learn() gets full batches while insights flow.
  if (batch.empty()) return;
  if (partial_batch_due) train(batch);
  else carried_ = std::move(batch);
}

void AgentWorker::train(std::vector<InsightPtr>& batch) {
  std::vector<nebula_insight> views;
  views.reserve(batch.size());
  for (auto& i : batch) views.push_back(i->view());
  char err[NEBULA_ERROR_CAP] = {0};
  // Closing means shutdown or reload: what is left is learned without waiting.
  const double waited = budget_.wait_for_turn([this] { return reservoir_.closed(); }).count();
  drain_at_process_priority_once_closed();  // closed mid-round too
  if (waited > 0) {
    throttled_seconds_ = throttled_seconds_ + waited;
    metrics_.add("nebula_training_throttled_seconds_total", labels_, waited);
  }
  auto started = std::chrono::steady_clock::now();
  const double cpu_before = TrainingCpuBudget::thread_cpu_seconds();
  nebula_status st = component_.agent()->learn(component_.instance(), views.data(), views.size(), err, sizeof err);
  const double cpu = TrainingCpuBudget::thread_cpu_seconds() - cpu_before;
  budget_.charge(cpu);
  cpu_seconds_ = cpu_seconds_ + cpu;
  metrics_.add("nebula_training_cpu_seconds_total", labels_, cpu);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  metrics_.add("nebula_agent_train_seconds_total", labels_, seconds);
  sampled_ += batch.size();
  metrics_.add("nebula_agent_insights_total", labels_, static_cast<double>(batch.size()));
  metrics_.add("nebula_training_sampled_total", labels_, static_cast<double>(batch.size()));
  batch.clear();  // the insights go now, not when the next batch overwrites them
  if (st == NEBULA_OK) {
    ++batches_;
    metrics_.add("nebula_agent_batches_total", labels_);
    return;
  }
  ++failures_;
  metrics_.add("nebula_agent_failures_total", labels_);
  std::lock_guard lock(status_mu_);
  last_error_ = err;
  spdlog::warn("[{}] training batch of {} failed (status {}): {}", component_.id(), views.size(), static_cast<int>(st),
               err);
}

void AgentWorker::checkpoint() {
  char err[NEBULA_ERROR_CAP] = {0};
  const auto* agent = component_.agent();
  std::string why = write_checkpoint(checkpoint_path(), [&](const nebula_sink* sink) {
    return agent->save(component_.instance(), sink, err, sizeof err);
  });
  std::lock_guard lock(status_mu_);
  if (why.empty()) {
    ++checkpoints_;
    last_checkpoint_time_ = now_seconds();
    checkpoint_status_ = "saved";
    metrics_.add("nebula_agent_checkpoints_total", labels_);
    return;
  }
  last_error_ = why + (err[0] ? std::string(": ") + err : "");
  metrics_.add("nebula_agent_checkpoint_failures_total", labels_);
  spdlog::error("[{}] checkpoint failed: {}", component_.id(), last_error_);
}

bool AgentWorker::query(const std::string& request, std::string& answer, std::string& error) const {
  char err[NEBULA_ERROR_CAP] = {0};
  nebula_sink sink = string_sink(answer);
  nebula_status st = component_.agent()->query(component_.instance(), request.data(), request.size(), &sink, err, sizeof err);
  if (st != NEBULA_OK) error = err[0] ? err : "query failed with status " + std::to_string(st);
  return st == NEBULA_OK;
}

void AgentWorker::publish_model_metrics() const {
  std::string text;
  char err[NEBULA_ERROR_CAP] = {0};
  nebula_sink sink = string_sink(text);
  if (component_.agent()->stats(component_.instance(), &sink, err, sizeof err) != NEBULA_OK) return;
  const auto stats = nlohmann::json::parse(text, nullptr, false);
  if (!stats.is_object()) return;
  // A loss is null before the first step: leave the gauge out rather than say 0.
  const std::pair<const char*, const char*> gauges[] = {{"train_loss", "nebula_agent_train_loss"},
                                                        {"val_loss", "nebula_agent_validation_loss"},
                                                        {"version", "nebula_agent_model_version"},
                                                        {"steps", "nebula_agent_training_steps"}};
  for (const auto& [key, family] : gauges)
    if (stats.contains(key) && stats[key].is_number()) metrics_.set(family, labels_, stats[key].get<double>());
  if (stats.contains("samples") && stats["samples"].is_number())
    metrics_.set("nebula_agent_examples_learned_total", labels_, stats["samples"].get<double>());
}

nlohmann::json AgentWorker::describe() const {
  nlohmann::json out{{"name", component_.id()},
                     {"plugin", component_.plugin().id},
                     {"topics", topics_},
                     {"inputs", component_.spec().inputs},
                     {"queue_capacity", reservoir_.capacity()},
                     {"batches", batches_.load()},
                     {"failures", failures_.load()},
                     {"checkpoints", checkpoints_.load()},
                     {"checkpoint_path", checkpoint_path()}};
  {
    // offered == sampled + skipped + queue_depth (read as queue_depth() does).
    const uint64_t sampled = sampled_.load();
    const ReservoirCounts c = reservoir_.counts();
    const uint64_t queued = c.held + (c.taken - std::min(sampled, c.taken));
    out["offered"] = c.offered;
    out["sampled"] = sampled;
    out["insights"] = sampled;  // the name before sampling was counted
    out["skipped"] = c.skipped;
    out["queue_depth"] = queued;
    out["sample_rate"] = sample_rate_.load();
  }
  out["cpu_seconds"] = cpu_seconds_.load();              // learn()'s CPU, charged to the budget
  out["throttled_seconds"] = throttled_seconds_.load();  // waited for the budget
  out["cpu_limit_cores"] = budget_.cores();              // the pool's, shared by all agents (0: none)
  {
    std::lock_guard lock(status_mu_);
    out["checkpoint_status"] = checkpoint_status_;
    out["last_checkpoint_time"] = last_checkpoint_time_;
    out["training_priority"] = priority_;
    if (!last_error_.empty()) out["last_error"] = last_error_;
  }
  std::string text;
  char err[NEBULA_ERROR_CAP] = {0};
  nebula_sink sink = string_sink(text);
  if (component_.agent()->stats(component_.instance(), &sink, err, sizeof err) == NEBULA_OK) {
    auto stats = nlohmann::json::parse(text, nullptr, false);
    out["stats"] = stats.is_discarded() ? nlohmann::json(text) : stats;
  } else {
    out["stats_error"] = err;
  }
  return out;
}

}  // namespace nebula::host
