// The pipeline file, parsed and checked.
//
// Phase 1, parse_pipeline(): YAML → PipelineConfig, with ${VAR} expansion,
// unknown keys, types, duplicate/unknown ids, cycles. Phase 2,
// check_components(): once plugins are loaded, every `plugin` id must exist,
// each kind may only be wired to kinds it can consume, and each plugin's own
// validate_config() runs; its JSON-pointer errors are mapped back to the
// YAML line and column. All problems of a run are reported together.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include "nebula/nebula_plugin.h"

namespace nebula::host {

struct SourceMark {
  std::string file;
  int line = 0;    // 1-based
  int column = 0;  // 1-based
};

struct ConfigIssue {
  SourceMark mark;
  std::string message;
  // "file:line:col: message"
  std::string format() const;
};

struct ComponentSpec {
  std::string id;
  std::string plugin;                // reverse-DNS plugin id
  nlohmann::json config = nlohmann::json::object();  // after ${VAR} expansion
  YAML::Node config_node;            // for mapping plugin errors to line:col
  std::vector<std::string> inputs;   // component ids
  std::vector<std::string> topics;   // optional topic filter on insight inputs
  SourceMark mark;                   // where the component starts
  SourceMark plugin_mark;            // where `plugin:` value is
  std::vector<SourceMark> input_marks;  // one per inputs[i]
};

struct PoolSettings {
  size_t queue_capacity = 10000;       // records
  size_t batch_max_records = 100;
  std::chrono::milliseconds batch_max_wait{1000};
  size_t workers = 2;                  // processor thread pool size
  // How long a payload that finds the queue full waits for room before its
  // sender is told to retry: back-pressure as flow control (the transport's
  // submit thread holds it), so a burst does not cost the sender a resend
  // and a `retry_after_ms` pause. 0 = answer RETRY at once.
  std::chrono::milliseconds admission_wait{500};
};

struct TrainingSettings {
  bool enabled = true;
  size_t queue_capacity = 1000;        // insights
  size_t batch_max_insights = 20;
  std::chrono::milliseconds batch_max_wait{10000};
  std::chrono::seconds checkpoint_interval{300};
  // Default `torch_threads` of every agent that takes that key (agent_thread_defaults.hpp).
  int torch_threads_per_agent = 1;
  // CPU priority of the training threads and the threads they start:
  // SCHED_IDLE, nice 19, or unchanged. Training must not slow ingest down.
  enum class Priority { Idle, Low, Normal };
  Priority priority = Priority::Idle;
  // CPU the agents' learn() calls may use together, in cores (0.5 = half
  // of one core), as a long-run average (runtime/training_cpu_budget.hpp).
  // Idle priority alone is not free on a small machine: the pool's stages
  // slow down beside busy training threads. 0 = no limit.
  double cpu_limit = 0;
};

// How the host delivers to every sink component (docs/sinks.md): each sink
// has its own bounded queue and delivery thread, so a slow or dead sink
// never stalls processors, agents or ingest.
struct SinkSettings {
  size_t queue_capacity = 10000;  // insights per sink; beyond it they are dead-lettered, counted
  size_t batch_max_insights = 100;
  std::chrono::milliseconds batch_max_wait{1000};
  std::chrono::milliseconds retry_initial{500};  // backoff after RETRY/IO, doubling, full jitter
  std::chrono::milliseconds retry_max{30000};
  size_t max_attempts = 10;  // deliveries of one batch before its insights are dead-lettered
};

struct AdminSettings {
  bool enabled = true;
  std::string address = "127.0.0.1";
  uint16_t port = 7070;                // 0 = ephemeral (tests)
  std::string token;                   // admin.token or the content of admin.token_file; "" = no auth
  bool public_probes = false;          // admin.public_probes: /readyz answers without the token too
  struct Tls {                         // admin.tls; absolute paths; empty cert = plain HTTP
    std::string cert, key, client_ca;
  } tls;
};

// The write-ahead log (docs/reliability.md says what each fsync policy promises).
struct WalSettings {
  enum class Fsync { Always, Batch, Interval };
  bool enabled = true;
  Fsync fsync = Fsync::Batch;
  std::chrono::milliseconds fsync_interval{200};  // with Fsync::Interval
  uint64_t segment_bytes = 64ull << 20;
  uint64_t max_bytes = 0;                          // 0 = no cap
  size_t dedup_nodes = 100000;                     // nodes whose recent seqs are remembered
};

struct LimitSettings {
  double records_per_second_per_node = 0;  // 0 = no limit
  double burst_records_per_node = 0;       // 0 = ten seconds' worth
};

// How payloads are judged at the door (docs/reliability.md, "Ingest checks").
struct IngestSettings {
  bool strict = false;  // a record with no known metric is rejected instead of accepted with a warning
};

struct PipelineConfig {
  std::string file;                    // the YAML path as given
  std::vector<std::string> plugin_paths;  // absolute, in search order
  std::string state_dir;               // absolute
  std::string log_level = "info";
  PoolSettings pool;
  TrainingSettings training;
  SinkSettings sinks;
  AdminSettings admin;
  WalSettings wal;
  LimitSettings limits;
  IngestSettings ingest;
  std::chrono::milliseconds shutdown_timeout{15000};
  std::vector<ComponentSpec> components;

  const ComponentSpec* find(const std::string& id) const;
};

// Looks up an environment variable; std::nullopt when unset.
using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;
EnvLookup process_env();

struct ParseResult {
  PipelineConfig config;            // best effort even when issues is non-empty
  std::vector<ConfigIssue> issues;  // empty = valid
};

// Phase 1. Never throws for bad input: every problem becomes an issue.
ParseResult parse_pipeline(const std::string& path, const EnvLookup& env = process_env());
ParseResult parse_pipeline_text(const std::string& text, const std::string& file_name,
                                const std::string& base_dir, const EnvLookup& env = process_env());

// What phase 2 needs to know about a plugin.
struct PluginFacts {
  nebula_plugin_kind kind;
  // Runs the plugin's validate_config; returns (json-pointer, message) pairs.
  std::function<std::vector<std::pair<std::string, std::string>>(const nlohmann::json&)> validate;
};
using PluginLookup = std::function<std::optional<PluginFacts>(const std::string& plugin_id)>;

// Phase 2. Appends issues to `issues`.
void check_components(const PipelineConfig& config, const PluginLookup& plugins,
                      std::vector<ConfigIssue>& issues);

// Parses "<pointer>: <message>" lines as written by validate_config().
std::vector<std::pair<std::string, std::string>> split_plugin_errors(const std::string& text);

}  // namespace nebula::host
