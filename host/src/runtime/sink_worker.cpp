#include "runtime/sink_worker.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "nebula/backoff.hpp"
#include "runtime/string_sink.hpp"

namespace nebula::host {
namespace {

const char* status_name(nebula_status st) {
  switch (st) {
    case NEBULA_OK: return "ok";
    case NEBULA_RETRY: return "retry";
    case NEBULA_INVALID: return "invalid";
    case NEBULA_IO: return "io";
    case NEBULA_INTERNAL: return "internal";
    case NEBULA_UNSUPPORTED: return "unsupported";
    case NEBULA_NOT_FOUND: return "not_found";
  }
  return "unknown";
}

int64_t steady_ns(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

void describe_sink_metrics(Metrics& metrics) {
  metrics.describe("nebula_sink_delivered_total", Metrics::Type::Counter, "Insights a sink delivered");
  metrics.describe("nebula_sink_failures_total", Metrics::Type::Counter,
                   "Failed deliveries of a sink, by the status the sink answered");
  metrics.describe("nebula_sink_overflow_total", Metrics::Type::Counter,
                   "Insights that found a sink's queue full (they are dead-lettered)");
  metrics.describe("nebula_sink_queue_depth", Metrics::Type::Gauge, "Insights waiting in a sink's queue");
  metrics.describe("nebula_sink_lost_total", Metrics::Type::Counter,
                   "Insights a sink could neither deliver nor keep as dead letters (the disk failed too)");
  metrics.describe("nebula_sink_failing", Metrics::Type::Gauge,
                   "1 while a sink's last delivery failed and it is retrying, else 0");
}

}  // namespace

SinkWorker::SinkWorker(Component& component, const SinkSettings& settings, Metrics& metrics, DeadLetterStore& letters)
    : component_(component),
      settings_(settings),
      metrics_(metrics),
      letters_(letters),
      inputs_(component.spec().inputs.begin(), component.spec().inputs.end()),
      labels_{{"component", component.id()}},
      queue_(settings.queue_capacity) {
  describe_sink_metrics(metrics_);
  metrics_.set("nebula_sink_queue_depth", labels_, 0);
  metrics_.set("nebula_sink_failing", labels_, 0);
}

SinkWorker::~SinkWorker() { drain_and_stop(std::chrono::steady_clock::now()); }

bool SinkWorker::wants(const std::string& source, const std::string& topic) const {
  if (!inputs_.count(source)) return false;
  const auto& filter = component_.spec().topics;
  return filter.empty() || std::find(filter.begin(), filter.end(), topic) != filter.end();
}

void SinkWorker::offer(const InsightPtr& insight) {
  if (queue_.push_for(insight, std::chrono::milliseconds(0))) {
    metrics_.set("nebula_sink_queue_depth", labels_, double(queue_.size()));
    return;
  }
  const uint64_t n = ++overflowed_;
  metrics_.add("nebula_sink_overflow_total", labels_);
  if (n == 1 || n % 1000 == 0)
    spdlog::warn("[{}] sink queue full ({} insights): {} insight(s) dead-lettered so far instead of queued",
                 component_.id(), queue_.capacity(), n);
  std::vector<InsightPtr> write_now;
  {
    std::lock_guard lock(overflow_mu_);
    overflow_.push_back(insight);
    // The delivery thread writes these; if it is stuck inside a slow
    // deliver() for that long, the emitter writes them itself rather than
    // letting memory grow without bound.
    if (overflow_.size() >= settings_.queue_capacity || !delivering_) write_now.swap(overflow_);
  }
  overflow_cv_.notify_one();
  if (!write_now.empty()) dead_letter(write_now, "sink queue full");
}

void SinkWorker::start() {
  delivering_ = true;
  thread_ = std::thread([this] { run(); });
}

void SinkWorker::drain_and_stop(std::chrono::steady_clock::time_point deadline) {
  drain_deadline_ns_ = steady_ns(deadline);
  draining_ = true;
  queue_.close();
  overflow_cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  delivering_ = false;
  write_overflow_letters();
}

void SinkWorker::run() {
  for (;;) {
    std::vector<InsightPtr> batch = queue_.pop_batch(settings_.batch_max_insights, settings_.batch_max_wait);
    write_overflow_letters();
    if (batch.empty()) {
      if (queue_.closed() && queue_.size() == 0) break;
      continue;
    }
    deliver_with_retry(batch);
    metrics_.set("nebula_sink_queue_depth", labels_, double(queue_.size()));
  }
  if (const auto* sink = component_.sink(); sink->flush) {
    char err[NEBULA_ERROR_CAP] = {0};
    std::lock_guard data(component_.data_mu);
    if (nebula_status st = sink->flush(component_.instance(), err, sizeof err); st != NEBULA_OK)
      spdlog::error("[{}] sink flush failed ({}): {}", component_.id(), status_name(st), err);
  }
}

nebula_status SinkWorker::deliver_once(const std::vector<InsightPtr>& batch, std::string& error) {
  std::vector<nebula_insight> views;
  views.reserve(batch.size());
  for (const auto& in : batch) views.push_back(in->view());
  char err[NEBULA_ERROR_CAP] = {0};
  nebula_status st;
  {
    std::lock_guard data(component_.data_mu);
    ++component_.calls;
    st = component_.sink()->deliver(component_.instance(), views.data(), views.size(), err, sizeof err);
  }
  if (st != NEBULA_OK) {
    ++component_.failures;
    error = err[0] ? err : std::string("deliver answered ") + status_name(st);
  }
  return st;
}

void SinkWorker::deliver_with_retry(const std::vector<InsightPtr>& batch) {
  Backoff backoff(settings_.retry_initial, settings_.retry_max);
  for (size_t attempt = 1;; ++attempt) {
    std::string error;
    const nebula_status st = deliver_once(batch, error);
    if (st == NEBULA_OK) {
      delivered_ += batch.size();
      metrics_.add("nebula_sink_delivered_total", labels_, double(batch.size()));
      std::lock_guard lock(status_mu_);
      if (failing_) spdlog::info("[{}] sink delivers again after {} attempt(s)", component_.id(), attempt);
      failing_ = false;
      metrics_.set("nebula_sink_failing", labels_, 0);
      return;
    }
    note_failure(st, error, attempt);
    if (st == NEBULA_INVALID) {
      if (batch.size() == 1) return dead_letter(batch, "refused by the sink: " + error);
      for (const auto& one : batch) deliver_with_retry({one});  // isolate the insights it refuses
      return;
    }
    if (attempt >= settings_.max_attempts)
      return dead_letter(batch, "undelivered after " + std::to_string(attempt) + " attempt(s): " + error);
    if (!pause_before_retry(backoff.next()))
      return dead_letter(batch, "the pool shut down while the sink was failing: " + error);
  }
}

void SinkWorker::note_failure(nebula_status status, const std::string& error, size_t attempt) {
  ++failed_attempts_;
  metrics_.add("nebula_sink_failures_total", {{"component", component_.id()}, {"status", status_name(status)}});
  metrics_.set("nebula_sink_failing", labels_, status == NEBULA_INVALID ? 0 : 1);
  {
    std::lock_guard lock(status_mu_);
    last_error_ = error;
    failing_ = status != NEBULA_INVALID;
  }
  uint64_t held_back = 0;
  if (failure_log_.allow(held_back))
    spdlog::warn("[{}] sink delivery failed ({}, attempt {}{}): {}", component_.id(), status_name(status), attempt,
                 held_back ? ", " + std::to_string(held_back) + " similar lines held back" : "", error);
}

bool SinkWorker::pause_before_retry(std::chrono::milliseconds pause) {
  auto until = std::chrono::steady_clock::now() + pause;
  std::unique_lock lock(overflow_mu_);
  for (;;) {
    if (draining_) {
      const auto deadline = std::chrono::steady_clock::time_point(std::chrono::nanoseconds(drain_deadline_ns_.load()));
      if (deadline <= std::chrono::steady_clock::now()) return false;
      until = std::min(until, deadline);
    }
    if (std::chrono::steady_clock::now() >= until) return true;
    overflow_cv_.wait_until(lock, until);
    if (!overflow_.empty()) {  // letters are written while the sink is down, not only after
      lock.unlock();
      write_overflow_letters();
      lock.lock();
    }
  }
}

void SinkWorker::write_overflow_letters() {
  std::vector<InsightPtr> pending;
  {
    std::lock_guard lock(overflow_mu_);
    pending.swap(overflow_);
  }
  if (!pending.empty()) dead_letter(pending, "sink queue full");
}

void SinkWorker::dead_letter(const std::vector<InsightPtr>& insights, const std::string& reason) {
  std::vector<DeadLetter> letters;
  letters.reserve(insights.size());
  for (const auto& in : insights)
    letters.push_back(DeadLetter::for_insight(component_.id(), reason, in->topic, in->source, in->json, in->timestamp));
  try {
    letters_.write(letters);
  } catch (const std::exception& e) {
    // The last resort failed too (the disk): say exactly what is lost.
    metrics_.add("nebula_sink_lost_total", labels_, double(insights.size()));
    spdlog::error("[{}] {} insight(s) could not be delivered nor dead-lettered ({}); lost: {}", component_.id(),
                  insights.size(), reason, e.what());
    return;
  }
  dead_lettered_ += insights.size();
  metrics_.add("nebula_dead_letters_total", labels_, double(insights.size()));
  spdlog::warn("[{}] {} insight(s) kept as dead letters: {}", component_.id(), insights.size(), reason);
}

bool SinkWorker::keeps_history() const { return component_.sink()->query != nullptr; }

nebula_status SinkWorker::query(const std::string& request, std::string& answer, std::string& error) const {
  const auto* sink = component_.sink();
  if (!sink->query) {
    error = "sink '" + component_.id() + "' keeps no history";
    return NEBULA_UNSUPPORTED;
  }
  char err[NEBULA_ERROR_CAP] = {0};
  nebula_sink out = string_sink(answer);
  const nebula_status st = sink->query(component_.instance(), request.data(), request.size(), &out, err, sizeof err);
  if (st != NEBULA_OK) error = err[0] ? err : std::string("query answered ") + status_name(st);
  return st;
}

nlohmann::json SinkWorker::describe() const {
  std::lock_guard lock(status_mu_);
  return {{"component", component_.id()},
          {"plugin", component_.plugin().id},
          {"queue_depth", queue_.size()},
          {"queue_capacity", queue_.capacity()},
          {"delivered", delivered_.load()},
          {"failed_attempts", failed_attempts_.load()},
          {"dead_lettered", dead_lettered_.load()},
          {"overflowed", overflowed_.load()},
          {"failing", failing_},
          {"last_error", last_error_.empty() ? nlohmann::json(nullptr) : nlohmann::json(last_error_)},
          {"history", keeps_history()}};
}

}  // namespace nebula::host
