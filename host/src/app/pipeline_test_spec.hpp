// A file of pipeline unit tests (`nebula-pool test`), as written: what each
// test feeds to which component, and what it expects of the insights that
// come out. Parsed with the same file:line:col reporting as the pipeline.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/pipeline_test_condition.hpp"
#include "app/pipeline_loader.hpp"

namespace nebula::host {

// A simulated fleet (node/sim) stepped for duration_s; every step is one payload.
struct ScenarioIncident {
  std::string kind;  // stall, eclipse, partition, tx_flood, hashrate_drop, hashrate_surge, resource_exhaustion
  std::string chain;
  std::vector<std::string> nodes;  // empty: the whole chain (tx_flood only)
  double start_s = 0;              // after the scenario's start
  double duration_s = 0;
  double magnitude = 0;  // 0: the kind's default
};

struct Scenario {
  uint64_t seed = 1;
  size_t testnet_nodes = 0, mainnet_nodes = 0, basic_nodes = 0, full_nodes = 0, simple_nodes = 0;
  double sample_interval_s = 5;
  double duration_s = 0;
  std::optional<double> start_time;  // unix seconds; the simulator's default otherwise
  bool random_incidents = false;     // tests want only the incidents they script
  double restarts_per_node_hour = 0;
  std::vector<ScenarioIncident> incidents;
  SourceMark mark;
};

// Records for one component: inline (one payload per record, in order) or simulated.
struct Feed {
  std::string to;  // a transport (everything reading it gets the records) or a processor (it alone)
  std::vector<std::string> records;  // JSON text of each inline record
  std::vector<SourceMark> record_marks;  // where each is written
  std::optional<Scenario> scenario;
  SourceMark mark;
  SourceMark to_mark;
};

struct PipelineTest {
  std::string name;
  std::vector<Feed> feeds;
  std::vector<Condition> expect;
  SourceMark mark;
};

// Every test of the file; problems (YAML syntax, unknown keys, types) go to
// `issues` as file:line:col. Never throws for bad input.
std::vector<PipelineTest> parse_pipeline_tests(const std::string& path, std::vector<ConfigIssue>& issues);

// Problems only the pipeline can reveal: a feed to a component that does not
// exist or takes no records. Appended to `issues`.
void check_tests_against(const std::vector<PipelineTest>& tests, const LoadedPipeline& pipeline,
                         std::vector<ConfigIssue>& issues);

}  // namespace nebula::host
