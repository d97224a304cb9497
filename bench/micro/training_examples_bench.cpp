// How fast the agents read the learning processor's training_examples
// insights, in examples/s: read_training_examples (simdjson's tape walked
// straight into TrainingExamples) against the nlohmann DOM the agents built
// for every insight before #15 (its parse alone: the walk that followed is
// gone with it and cost another ~13 %, docs/benchmarks.md). The insights are
// the learning processor's real output on a simulated 400-node fleet, 100
// examples each (~55 KB, its default max_examples_per_insight); and the
// pattern recognizer's insights of the same steps, which the analyst reads
// too. docs/benchmarks.md, "Agents reading training examples (#15)".
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "fleet_feed.hpp"
#include "nebula_agents/training_examples.hpp"
#include "pattern_update.hpp"

namespace {

constexpr size_t kInsights = 40;

struct Corpus {
  std::vector<std::string> learning;  // full-size training_examples insights
  std::vector<std::string> patterns;  // the pattern recognizer's insights of the same steps
};

const Corpus& corpus() {
  static const Corpus c = [] {
    using namespace nebula::agents::testing;
    FleetFeed feed(nebula_sim::FleetBuilder().nodes({.testnet = 150, .mainnet = 150, .basic = 50, .full = 50}).seed(5).build());
    Corpus out;
    while (out.learning.size() < kInsights)
      for (const auto& [topic, doc] : only(feed.step(), {"learning", "patterns"})) {
        if (topic == "patterns") out.patterns.push_back(doc.dump());
        else if (doc["examples"].size() == 100 && out.learning.size() < kInsights) out.learning.push_back(doc.dump());
      }
    return out;
  }();
  return c;
}

const std::vector<std::string>& insights() { return corpus().learning; }

int64_t bytes(const std::vector<std::string>& texts) {
  int64_t n = 0;
  for (const auto& t : texts) n += static_cast<int64_t>(t.size());
  return n;
}

size_t examples_per_pass() { return insights().size() * 100; }

void BM_NlohmannDomParseOnly(benchmark::State& state) {
  for (auto _ : state)
    for (const auto& text : insights()) benchmark::DoNotOptimize(nlohmann::json::parse(text));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * examples_per_pass()));
  state.SetBytesProcessed(state.iterations() * bytes(insights()));
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
  state.SetBytesProcessed(state.iterations() * bytes(insights()));
}
BENCHMARK(BM_SimdjsonReadTrainingExamples)->Unit(benchmark::kMillisecond);

// The analyst's other input: patterns insights, DOM against read_pattern_update.
void BM_PatternsNlohmannDom(benchmark::State& state) {
  for (auto _ : state)
    for (const auto& text : corpus().patterns) benchmark::DoNotOptimize(nlohmann::json::parse(text));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * corpus().patterns.size()));
  state.SetBytesProcessed(state.iterations() * bytes(corpus().patterns));
}
BENCHMARK(BM_PatternsNlohmannDom)->Unit(benchmark::kMillisecond);

void BM_PatternsReadPatternUpdate(benchmark::State& state) {
  for (auto _ : state)
    for (const auto& text : corpus().patterns) benchmark::DoNotOptimize(nebula::analyst::read_pattern_update(text));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * corpus().patterns.size()));
  state.SetBytesProcessed(state.iterations() * bytes(corpus().patterns));
}
BENCHMARK(BM_PatternsReadPatternUpdate)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
