// How fast the agents read the learning processor's training_examples
// insights, in examples/s: read_training_examples (simdjson's tape walked
// straight into TrainingExamples) against the nlohmann DOM the agents built
// for every insight before #15 (its parse alone: the walk that followed is
// gone with it, and cost another ~13 %, docs/benchmarks.md). The insights are the learning
// processor's real output on a simulated 400-node fleet, 100 examples each
// (~64 KB, its default max_examples_per_insight). docs/benchmarks.md,
// "Agents reading training examples (#15)".
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "fleet_feed.hpp"
#include "nebula_agents/training_examples.hpp"

namespace {

constexpr size_t kInsights = 40;

// Full-size training_examples insights, as the agents receive them.
const std::vector<std::string>& insights() {
  static const std::vector<std::string> texts = [] {
    using namespace nebula::agents::testing;
    FleetFeed feed(nebula_sim::FleetBuilder().nodes({.testnet = 150, .mainnet = 150, .basic = 50, .full = 50}).seed(5).build());
    std::vector<std::string> out;
    while (out.size() < kInsights)
      for (const auto& [topic, doc] : only(feed.step(), {"learning"}))
        if (doc["examples"].size() == 100 && out.size() < kInsights) out.push_back(doc.dump());
    return out;
  }();
  return texts;
}

size_t examples_per_pass() { return insights().size() * 100; }

void BM_NlohmannDomParseOnly(benchmark::State& state) {
  for (auto _ : state)
    for (const auto& text : insights()) benchmark::DoNotOptimize(nlohmann::json::parse(text));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * examples_per_pass()));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * insights().size() * insights().front().size()));
}
BENCHMARK(BM_NlohmannDomParseOnly)->Unit(benchmark::kMillisecond);

void BM_SimdjsonReadTrainingExamples(benchmark::State& state) {
  for (auto _ : state)
    for (const auto& text : insights()) {
      auto batch = nebula::agents::read_training_examples(text);
      if (!batch || batch->examples.size() != 100) state.SkipWithError("an insight did not read back whole");
      benchmark::DoNotOptimize(batch);
    }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * examples_per_pass()));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * insights().size() * insights().front().size()));
}
BENCHMARK(BM_SimdjsonReadTrainingExamples)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
