#include "runtime/agent_worker.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>

#include "runtime/checkpoint_file.hpp"
#include "runtime/training_thread.hpp"

namespace nebula::host {
namespace {

double now_seconds() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

nebula_status append_to_string(void* ctx, const void* data, size_t len) {
  static_cast<std::string*>(ctx)->append(static_cast<const char*>(data), len);
  return NEBULA_OK;
}

}  // namespace

AgentWorker::AgentWorker(Component& component, const TrainingSettings& settings, Metrics& metrics)
    : component_(component),
      settings_(settings),
      metrics_(metrics),
      inputs_(component.spec().inputs.begin(), component.spec().inputs.end()),
      queue_(settings.queue_capacity),
      labels_{{"component", component.id()}} {
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
  bool ok = true;
  if (settings_.priority == TrainingSettings::Priority::Normal) {
    ok = queue_.push_for(insight, timeout);
  } else {
    // Waiting for a thread that only gets the CPU ingest leaves would hand
    // ingest that thread's priority: under sustained load the queue stays
    // full and ingest crawls at training speed. The newest insights matter
    // most to online learning, so the oldest one goes.
    bool dropped = false;
    ok = queue_.push_dropping_oldest(insight, dropped, settings_.batch_max_insights);
    if (dropped) {
      const uint64_t n = ++dropped_;
      metrics_.add("nebula_training_dropped_total", labels_);
      if (n == 1 || n % 1000 == 0)
        spdlog::warn("[{}] training queue full: dropped its oldest insight ({} so far); training cannot keep up",
                     component_.id(), n);
    }
  }
  metrics_.set("nebula_training_queue_depth", labels_, static_cast<double>(queue_.size()));
  return ok;
}

std::string AgentWorker::checkpoint_path() const {
  return (std::filesystem::path(component_.state_dir()) / "checkpoint.bin").string();
}

void AgentWorker::start() {
  restore();
  thread_ = std::thread([this] { run(); });
}

void AgentWorker::drain_and_stop() {
  queue_.close();
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
  for (;;) {
    auto batch = queue_.pop_batch(settings_.batch_max_insights, settings_.batch_max_wait);
    metrics_.set("nebula_training_queue_depth", labels_, static_cast<double>(queue_.size()));
    if (!batch.empty()) train(batch);
    if (std::chrono::steady_clock::now() >= next_checkpoint) {
      checkpoint();
      next_checkpoint = std::chrono::steady_clock::now() + settings_.checkpoint_interval;
    }
    if (batch.empty() && queue_.closed() && queue_.size() == 0) break;
  }
  checkpoint();
}

void AgentWorker::train(std::vector<InsightPtr>& batch) {
  std::vector<nebula_insight> views;
  views.reserve(batch.size());
  for (auto& i : batch) views.push_back(i->view());
  char err[NEBULA_ERROR_CAP] = {0};
  auto started = std::chrono::steady_clock::now();
  nebula_status st = component_.agent()->learn(component_.instance(), views.data(), views.size(), err, sizeof err);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  metrics_.add("nebula_agent_train_seconds_total", labels_, seconds);
  insights_ += batch.size();
  metrics_.add("nebula_agent_insights_total", labels_, static_cast<double>(batch.size()));
  if (st == NEBULA_OK) {
    ++batches_;
    metrics_.add("nebula_agent_batches_total", labels_);
    return;
  }
  ++failures_;
  metrics_.add("nebula_agent_failures_total", labels_);
  std::lock_guard lock(status_mu_);
  last_error_ = err;
  spdlog::warn("[{}] training batch of {} failed (status {}): {}", component_.id(), batch.size(), static_cast<int>(st),
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
  nebula_sink sink{&answer, &append_to_string};
  nebula_status st = component_.agent()->query(component_.instance(), request.data(), request.size(), &sink, err, sizeof err);
  if (st != NEBULA_OK) error = err[0] ? err : "query failed with status " + std::to_string(st);
  return st == NEBULA_OK;
}

nlohmann::json AgentWorker::describe() const {
  nlohmann::json out{{"name", component_.id()},
                     {"plugin", component_.plugin().id},
                     {"topics", topics_},
                     {"inputs", component_.spec().inputs},
                     {"queue_depth", queue_.size()},
                     {"queue_capacity", queue_.capacity()},
                     {"batches", batches_.load()},
                     {"insights", insights_.load()},
                     {"failures", failures_.load()},
                     {"dropped", dropped_.load()},
                     {"checkpoints", checkpoints_.load()},
                     {"checkpoint_path", checkpoint_path()}};
  {
    std::lock_guard lock(status_mu_);
    out["checkpoint_status"] = checkpoint_status_;
    out["last_checkpoint_time"] = last_checkpoint_time_;
    out["training_priority"] = priority_;
    if (!last_error_.empty()) out["last_error"] = last_error_;
  }
  std::string text;
  char err[NEBULA_ERROR_CAP] = {0};
  nebula_sink sink{&text, &append_to_string};
  if (component_.agent()->stats(component_.instance(), &sink, err, sizeof err) == NEBULA_OK) {
    auto stats = nlohmann::json::parse(text, nullptr, false);
    out["stats"] = stats.is_discarded() ? nlohmann::json(text) : stats;
  } else {
    out["stats_error"] = err;
  }
  return out;
}

}  // namespace nebula::host
