// Read-only views of the running pipeline for the admin API.
#include "runtime/runtime.hpp"
#include "runtime/string_sink.hpp"

namespace nebula::host {

nlohmann::json Runtime::wal_stats() const {
  if (!wal_) return {{"enabled", false}};
  const wal::WalStats s = wal_->stats();
  const wal::RecoveryReport& r = wal_->recovery();
  return {{"enabled", true},
          {"fsync", wal::to_string(wal_->policy())},
          {"segments", s.segments},
          {"bytes", s.bytes},
          {"appended_frames", s.appended},
          {"fsyncs", s.fsyncs},
          {"write_failures", wal_failures_.load()},
          {"last_lsn", s.last_lsn},
          {"durable_lsn", s.durable_lsn},
          {"committed_lsn", s.watermark},
          {"segments_deleted", s.segments_deleted},
          {"recovered", {{"segments", r.segments},
                         {"pending_records", r.pending_records},
                         {"damaged_regions", r.damaged_regions},
                         {"damaged_bytes", r.damaged_bytes}}}};
}

void Runtime::refresh_gauges() {
  metrics_.set("nebula_ready", {}, ready() ? 1 : 0);  // before the lock: ready() takes it too
  std::shared_lock topology(topology_mu_);
  metrics_.set("nebula_pool_queue_depth", {}, static_cast<double>(pool_queue_.size()));
  if (wal_) {
    const wal::WalStats s = wal_->stats();
    metrics_.set("nebula_wal_bytes", {}, static_cast<double>(s.bytes));
    metrics_.set("nebula_wal_segments", {}, static_cast<double>(s.segments));
    metrics_.set("nebula_wal_fsyncs_total", {}, static_cast<double>(s.fsyncs));
  }
  for (auto& a : agents_) {
    metrics_.set("nebula_training_queue_depth", {{"component", a->component().id()}},
                 static_cast<double>(a->queue_depth()));
    a->publish_model_metrics();
  }
  for (auto& sink : sinks_)
    metrics_.set("nebula_sink_queue_depth", {{"component", sink->component().id()}},
                 static_cast<double>(sink->queue_depth()));
  metrics_.set("nebula_ingest_identities_unwatched", {}, static_cast<double>(identity_watch_.unwatched()));
}

nlohmann::json Runtime::stats() const {
  const bool is_ready = ready();  // before the lock: ready() takes it too
  std::shared_lock topology(topology_mu_);
  nlohmann::json processors = nlohmann::json::array();
  for (auto& n : processors_) {
    std::lock_guard lock(n->inbox_mu);
    processors.push_back({{"id", n->component->id()},
                          {"plugin", n->component->plugin().id},
                          {"stage", n->level},
                          {"calls", n->component->calls.load()},
                          {"failures", n->component->failures.load()},
                          {"inbox", n->inbox.size()}});
  }
  nlohmann::json agents = nlohmann::json::array();
  for (auto& a : agents_)
    agents.push_back({{"id", a->component().id()}, {"queue_depth", a->queue_depth()}, {"topics", a->topics()}});
  nlohmann::json sinks = nlohmann::json::array();
  for (auto& sink : sinks_) sinks.push_back(sink->describe());
  nlohmann::json transports = nlohmann::json::array();
  for (auto* t : transports_) {
    const std::string reason = t->not_ready_reason();
    nlohmann::json entry{{"id", t->id()}, {"plugin", t->plugin().id}, {"ready", reason.empty()}};
    if (!reason.empty()) entry["not_ready_reason"] = reason;
    transports.push_back(std::move(entry));
  }
  return {{"ready", is_ready},
          {"draining", draining_.load()},
          {"uptime_s", std::chrono::duration<double>(std::chrono::steady_clock::now() - started_at_).count()},
          {"pool",
           {{"queue_depth", pool_queue_.size()},
            {"queue_capacity", pool_queue_.capacity()},
            {"batch_max_records", config_.pool.batch_max_records},
            {"batch_max_wait_ms", config_.pool.batch_max_wait.count()},
            {"workers", pool_threads_.size()},
            {"records_accepted", records_accepted_.load()},
            {"records_rejected", records_rejected_.load()},
            {"records_duplicate", records_duplicate_.load()},
            {"records_replayed", records_replayed_.load()},
            {"records_replay_handed_over", records_replay_dropped_.load()},
            {"payloads_retry", payloads_retry_.load()},
            {"payloads_limited", payloads_limited_.load()},
            {"records_processed", records_processed_.load()},
            {"batches", batches_.load()}}},
          {"wal", wal_stats()},
          {"insights", store_.totals()},
          {"transports", transports},
          {"processors", processors},
          {"agents", agents},
          {"sinks", sinks}};
}

std::vector<std::pair<std::string, std::string>> Runtime::not_ready() const {
  std::shared_lock topology(topology_mu_);
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& c : components_)
    if (std::string reason = c->not_ready_reason(); !reason.empty()) out.emplace_back(c->id(), std::move(reason));
  return out;
}

nlohmann::json Runtime::endpoints() const {
  std::shared_lock topology(topology_mu_);
  nlohmann::json out = nlohmann::json::object();
  for (auto* t : transports_) {
    if (!t->instance()) continue;
    std::string text;
    char err[NEBULA_ERROR_CAP] = {0};
    nebula_sink sink = string_sink(text);
    if (t->server()->describe(t->instance(), &sink, err, sizeof err) == NEBULA_OK) {
      auto j = nlohmann::json::parse(text, nullptr, false);
      out[t->id()] = j.is_discarded() ? nlohmann::json(text) : j;
    }
  }
  return out;
}

}  // namespace nebula::host
