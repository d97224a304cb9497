// Replays a fixed simulator run through one real processor plugin (.so on the
// SDK's mock host), in the dispatcher's batches of 100 records, for
// instruction counts under callgrind (docs: processors-*.md):
//
//   valgrind --tool=callgrind --collect-atstart=no
//     --toggle-collect='*replay_batches*' build/bin/bench_processor_replay pattern
//
// The batches are built before replay_batches() so only the plugin is counted;
// without valgrind it prints the plugin's CPU time per record (this thread's
// CPU clock, so a busy machine inflates it less than wall time):
//
//   build/bin/bench_processor_replay memory 5000 30
//   build/bin/bench_processor_replay learning 2000 60 '{"include_features":true}'   (a plugin config)
//
// `decision` takes insights, not records: the pattern and network plugins
// run over the batches first (not measured), and the Decision Optimizer then
// gets each batch's insights and an end of cycle, as in the pool.
//
//   build/bin/bench_processor_replay decision 2000 300
//
// NEBULA_REPLAY_PLUGIN=<.so> replays another build of the plugin (A/B runs
// side by side). NEBULA_REPLAY_OUT=<file> writes every insight the plugin
// emitted (topic, a tab, the JSON; one per line) after the run, to compare
// two builds of a plugin on a larger run than the same-answers test's (cmp).
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <stdexcept>
#include <string>
#include <vector>

#include <nebula/testing/mock_host.hpp>
#include <nebula_sim/fleet.hpp>

#include "sim_batch.hpp"  // tests/processors/support: the simulator's records as host columns

namespace {

constexpr size_t kBatchRecords = 100;  // pool.batch_max_records

struct Target {
  const char* library;
  const char* id;
  bool takes_insights = false;  // fed its upstream's insights per cycle, not records
};

Target target_named(const std::string& name) {
  if (name == "memory") return {NEBULA_BENCH_MEMORY_PLUGIN, "nebula.processor.memory"};
  if (name == "pattern") return {NEBULA_BENCH_PATTERN_PLUGIN, "nebula.processor.pattern"};
  if (name == "transactions") return {NEBULA_BENCH_TRANSACTIONS_PLUGIN, "nebula.processor.transaction_analyzer"};
  if (name == "network") return {NEBULA_BENCH_NETWORK_PLUGIN, "nebula.processor.network_monitor"};
  if (name == "learning") return {NEBULA_BENCH_LEARNING_PLUGIN, "nebula.processor.learning"};
  if (name == "decision") return {NEBULA_BENCH_DECISION_PLUGIN, "nebula.processor.decision", true};
  throw std::invalid_argument(
      "usage: bench_processor_replay memory|pattern|transactions|network|learning|decision [nodes] [steps]");
}

std::vector<nebula::OwnedBatch> simulate(size_t nodes, int steps) {
  nebula_sim::FleetConfig cfg;
  cfg.testnet_nodes = nodes * 4 / 10;
  cfg.mainnet_nodes = nodes * 3 / 10;
  cfg.basic_nodes = nodes / 10;
  cfg.full_nodes = nodes - cfg.testnet_nodes - cfg.mainnet_nodes - cfg.basic_nodes;
  cfg.seed = 15;
  cfg.incidents.rate_per_node_hour = 0.5;
  nebula_sim::Fleet fleet(cfg);
  std::vector<nebula::OwnedBatch> batches;
  for (int s = 0; s < steps; ++s) {
    const auto records = fleet.step();
    for (size_t i = 0; i < records.size(); i += kBatchRecords) {
      const auto first = records.begin() + static_cast<std::ptrdiff_t>(i);
      const auto last = records.begin() + static_cast<std::ptrdiff_t>(std::min(records.size(), i + kBatchRecords));
      batches.push_back(sim_batch::make({first, last}));
    }
  }
  return batches;
}

using Cycle = std::vector<nebula::testing::EmittedInsight>;

// Copied only when NEBULA_REPLAY_OUT asks for them (such a run measures the
// copies too: use it to compare answers, not time).
void keep(std::vector<Cycle>* kept, nebula::testing::MockHost& host) {
  if (kept) kept->push_back(host.insights());
  host.clear_insights();
}

// The measured part: every batch, then the host's shutdown flush.
__attribute__((noinline)) size_t replay_batches(nebula::testing::MockHost& host, nebula::testing::Instance& plugin,
                                                const std::vector<nebula::OwnedBatch>& batches,
                                                std::vector<Cycle>* kept) {
  size_t insights = 0;
  for (const auto& batch : batches) {
    if (plugin.feed(batch) != NEBULA_OK)
      throw std::runtime_error(std::string("process_records: ") + plugin.last_error());
    insights += host.insights().size();
    keep(kept, host);
  }
  if (plugin.flush() != NEBULA_OK) throw std::runtime_error(std::string("flush: ") + plugin.last_error());
  insights += host.insights().size();
  keep(kept, host);
  return insights;
}

// What the Decision Optimizer reads: per batch, the insights its upstream
// processors emitted for it (default config, default topics).
std::vector<Cycle> upstream_insights(const std::vector<nebula::OwnedBatch>& batches) {
  nebula::testing::PluginLibrary pattern_library(NEBULA_BENCH_PATTERN_PLUGIN);
  nebula::testing::PluginLibrary network_library(NEBULA_BENCH_NETWORK_PLUGIN);
  nebula::testing::MockHost host;
  auto pattern = host.create(pattern_library.find("nebula.processor.pattern"));
  auto network = host.create(network_library.find("nebula.processor.network_monitor"));
  std::vector<Cycle> cycles;
  for (const auto& batch : batches) {
    if (pattern.feed(batch) != NEBULA_OK || network.feed(batch) != NEBULA_OK)
      throw std::runtime_error("upstream processor failed");
    keep(&cycles, host);
  }
  return cycles;
}

// The measured part for `decision`: each cycle's insights, then its end.
__attribute__((noinline)) size_t replay_cycles(nebula::testing::MockHost& host, nebula::testing::Instance& plugin,
                                               const std::vector<Cycle>& cycles, std::vector<Cycle>* kept) {
  size_t insights = 0;
  for (const auto& cycle : cycles) {
    for (const auto& in : cycle)
      if (plugin.feed_insight(in.topic, in.json, "bench") != NEBULA_OK)
        throw std::runtime_error(std::string("process_insight: ") + plugin.last_error());
    if (plugin.end_cycle() != NEBULA_OK) throw std::runtime_error(std::string("end_cycle: ") + plugin.last_error());
    insights += host.insights().size();
    keep(kept, host);
  }
  return insights;
}

void write_insights(const char* path, const std::vector<Cycle>& kept) {
  std::FILE* out = std::fopen(path, "w");
  if (!out) throw std::runtime_error(std::string("cannot write ") + path);
  for (const auto& cycle : kept)
    for (const auto& in : cycle) std::fprintf(out, "%s\t%s\n", in.topic.c_str(), in.json.c_str());
  if (std::fclose(out) != 0) throw std::runtime_error(std::string("cannot write ") + path);
}

double thread_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

}  // namespace

int main(int argc, char** argv) try {
  const Target target = target_named(argc > 1 ? argv[1] : "");
  const size_t nodes = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 1000;
  const int steps = argc > 3 ? std::atoi(argv[3]) : 120;
  const auto batches = simulate(nodes, steps);
  const char* other_build = std::getenv("NEBULA_REPLAY_PLUGIN");
  nebula::testing::PluginLibrary library(other_build ? other_build : target.library);
  nebula::testing::MockHost host;
  auto plugin = host.create(library.find(target.id), argc > 4 ? argv[4] : "{}");
  const size_t records = nodes * static_cast<size_t>(steps);
  const auto cycles = target.takes_insights ? upstream_insights(batches) : std::vector<Cycle>{};
  const char* out_path = std::getenv("NEBULA_REPLAY_OUT");
  std::vector<Cycle> kept;
  std::vector<Cycle>* keep_to = out_path ? &kept : nullptr;
  const double cpu_before = thread_cpu_seconds();
  const size_t insights = target.takes_insights ? replay_cycles(host, plugin, cycles, keep_to)
                                                : replay_batches(host, plugin, batches, keep_to);
  const double cpu = thread_cpu_seconds() - cpu_before;
  if (out_path) write_insights(out_path, kept);
  std::printf("%s: %zu records in %zu batches, %zu insights, %.0f state saves, %.2f us of CPU per record\n", target.id,
              records, batches.size(), insights, host.counter("state_saves"), cpu / static_cast<double>(records) * 1e6);
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "%s\n", e.what());
  return 1;
}
