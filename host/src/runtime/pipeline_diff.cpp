#include "runtime/pipeline_diff.hpp"

#include <algorithm>
#include <set>

namespace nebula::host {
namespace {

// Inputs and topics are sets to the runtime: their order changes nothing.
bool same_set(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  return std::set<std::string>(a.begin(), a.end()) == std::set<std::string>(b.begin(), b.end());
}

std::string restart_reason(const ComponentSpec& was, const ComponentSpec& now) {
  std::string why;
  auto add = [&](bool differs, const char* what) {
    if (!differs) return;
    if (!why.empty()) why += ", ";
    why += what;
  };
  add(was.plugin != now.plugin, "plugin");
  add(was.config != now.config, "config");
  add(!same_set(was.inputs, now.inputs), "inputs");
  add(!same_set(was.topics, now.topics), "topics");
  return why;
}

}  // namespace

bool PipelineDiff::restarts(const std::string& id) const {
  return std::any_of(restarted.begin(), restarted.end(), [&](const RestartedComponent& r) { return r.id == id; });
}

PipelineDiff diff_pipelines(const PipelineConfig& running, const PipelineConfig& next) {
  PipelineDiff diff;
  for (const auto& now : next.components) {
    const ComponentSpec* was = running.find(now.id);
    if (!was) {
      diff.added.push_back(now.id);
    } else if (std::string why = restart_reason(*was, now); !why.empty()) {
      diff.restarted.push_back({now.id, std::move(why)});
    } else {
      diff.unchanged.push_back(now.id);
    }
  }
  for (const auto& was : running.components)
    if (!next.find(was.id)) diff.removed.push_back(was.id);
  return diff;
}

std::vector<std::string> fixed_setting_changes(const PipelineConfig& a, const PipelineConfig& b) {
  std::vector<std::string> out;
  auto check = [&](bool same, const char* name) {
    if (!same) out.push_back(std::string(name) + " cannot change while the pool runs (restart it to apply)");
  };
  check(a.plugin_paths == b.plugin_paths, "plugins.paths");
  check(a.state_dir == b.state_dir, "state_dir");
  check(a.admin.enabled == b.admin.enabled && a.admin.address == b.admin.address && a.admin.port == b.admin.port,
        "admin (address, port)");
  check(a.admin.token == b.admin.token, "admin.token");
  check(a.admin.tls.cert == b.admin.tls.cert && a.admin.tls.key == b.admin.tls.key &&
            a.admin.tls.client_ca == b.admin.tls.client_ca,
        "admin.tls");
  check(a.pool.queue_capacity == b.pool.queue_capacity, "pool.queue_capacity");
  check(a.pool.batch_max_records == b.pool.batch_max_records, "pool.batch_max_records");
  check(a.pool.batch_max_wait == b.pool.batch_max_wait, "pool.batch_max_wait_ms");
  check(a.pool.workers == b.pool.workers, "pool.workers");
  check(a.pool.admission_wait == b.pool.admission_wait, "pool.admission_wait_ms");
  const auto& ta = a.training;
  const auto& tb = b.training;
  check(ta.enabled == tb.enabled && ta.queue_capacity == tb.queue_capacity &&
            ta.batch_max_insights == tb.batch_max_insights && ta.batch_max_wait == tb.batch_max_wait &&
            ta.checkpoint_interval == tb.checkpoint_interval &&
            ta.torch_threads_per_agent == tb.torch_threads_per_agent && ta.priority == tb.priority &&
            ta.cpu_limit == tb.cpu_limit,
        "training");
  const auto& sa = a.sinks;
  const auto& sb = b.sinks;
  check(sa.queue_capacity == sb.queue_capacity && sa.batch_max_insights == sb.batch_max_insights &&
            sa.batch_max_wait == sb.batch_max_wait && sa.retry_initial == sb.retry_initial &&
            sa.retry_max == sb.retry_max && sa.max_attempts == sb.max_attempts,
        "sinks");
  check(a.wal.enabled == b.wal.enabled, "wal.enabled");
  check(a.wal.fsync == b.wal.fsync && a.wal.fsync_interval == b.wal.fsync_interval, "wal.fsync");
  check(a.wal.segment_bytes == b.wal.segment_bytes && a.wal.max_bytes == b.wal.max_bytes,
        "wal.segment_mb / wal.max_mb");
  check(a.wal.dedup_nodes == b.wal.dedup_nodes, "wal.dedup_nodes");
  check(a.limits.records_per_second_per_node == b.limits.records_per_second_per_node &&
            a.limits.burst_records_per_node == b.limits.burst_records_per_node,
        "limits");
  check(a.ingest.strict == b.ingest.strict, "ingest.strict");
  check(a.shutdown_timeout == b.shutdown_timeout, "shutdown.timeout_ms");
  return out;
}

}  // namespace nebula::host
