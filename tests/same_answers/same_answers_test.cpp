// Same answers, faster (issue #15): every processor of the default pipeline
// still computes what it computed before the performance rework. A fixed
// simulator run (fleet_batches.hpp) goes through the real plugins, wired as
// config/pipeline.yaml wires them (pipeline_wiring.hpp), and each
// (processor, topic) sequence of insights is compared with the golden file
// written by the code before the rework, within the tolerances of
// insight_compare.hpp. A failure names processor, topic, insight index, JSON
// pointer, expected and actual.
//
// A deliberate change of answers (a fix) regenerates the golden:
//
//   NEBULA_SAME_ANSWERS_UPDATE=1 build/bin/test_same_answers --gtest_filter='SameAnswers.*'
//
// and the commit that does so names the fix and the fields it changes, and
// updates tests/fixtures/same_answers/README.md.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <nebula_sim/incident.hpp>

#include "fleet_batches.hpp"
#include "golden_file.hpp"
#include "insight_compare.hpp"
#include "pipeline_replay.hpp"
#include "pipeline_wiring.hpp"

namespace same_answers {
namespace {

using nlohmann::json;
using Key = std::pair<std::string, std::string>;  // processor (component id), topic

const std::string kGolden = std::string(NEBULA_SOURCE_DIR) + "/tests/fixtures/same_answers/pipeline_insights.jsonl.gz";

constexpr size_t kInsightsShown = 5;       // differing insights reported per (processor, topic)
constexpr size_t kDifferencesShown = 8;    // differences reported per insight

std::string plugin_of(const std::string& processor) {
  for (const auto& p : default_pipeline())
    if (p.id == processor) return p.plugin;
  return "not in the pipeline";
}

std::string where(const Key& key) {
  return "processor '" + key.first + "' (" + plugin_of(key.first) + "), topic '" + key.second + "'";
}

// What one (processor, topic) emitted now against what it emitted before.
void expect_same_sequence(const Key& key, const std::vector<json>& expected, const std::vector<json>& actual) {
  std::ostringstream report;
  if (expected.size() != actual.size())
    report << "  expected " << expected.size() << " insights, got " << actual.size() << "\n";
  size_t differing = 0;
  for (size_t i = 0; i < std::min(expected.size(), actual.size()); ++i) {
    const Differences d = compare_insight(key.first, expected[i], actual[i], kDifferencesShown);
    if (d.total == 0) continue;
    if (++differing > kInsightsShown) continue;
    report << "  insight #" << i << ": " << d.total << " difference(s)\n";
    for (const auto& diff : d.listed)
      report << "    " << diff.pointer << ": expected " << diff.expected << ", actual " << diff.actual << "\n";
    if (d.total > d.listed.size()) report << "    ...\n";
  }
  if (differing > kInsightsShown) report << "  ... and " << differing - kInsightsShown << " more insights differ\n";
  if (!report.str().empty()) ADD_FAILURE() << where(key) << " does not give the same answers:\n" << report.str();
}

TEST(SameAnswers, InsightsEqualThoseOfThePreviousCode) {
  const auto now = replay(default_pipeline(), fleet_batches());
  if (const char* update = std::getenv("NEBULA_SAME_ANSWERS_UPDATE"); update && std::string(update) == "1") {
    write_golden(kGolden, now);
    GTEST_SKIP() << "wrote " << now.size() << " insights to " << kGolden;
  }
  std::map<Key, std::vector<json>> expected, actual;
  for (auto& g : read_golden(kGolden)) expected[{g.processor, g.topic}].push_back(std::move(g.insight));
  for (const auto& in : now) actual[{in.processor, in.topic}].push_back(canonical(in));
  std::set<Key> keys;
  for (const auto& [k, v] : expected) keys.insert(k);
  for (const auto& [k, v] : actual) keys.insert(k);
  for (const auto& key : keys) expect_same_sequence(key, expected[key], actual[key]);
}

// A golden that exercised nothing would prove nothing: in the stored run
// every processor speaks, and every kind of incident reaches the detectors.
// (The golden, not a fresh replay: ctest runs each case in its own process.)
TEST(SameAnswers, GoldenExercisesEveryProcessorAndIncidentKind) {
  std::map<std::string, size_t> per_processor;
  std::set<std::string> kinds_started;
  size_t partitions_seen = 0;
  for (const auto& g : read_golden(kGolden)) {
    ++per_processor[g.processor];
    if (g.processor == "patterns")
      for (const auto& s : g.insight.at("started")) kinds_started.insert(s.at("kind").get<std::string>());
    if (g.processor == "network")
      for (const auto& [chain, c] : g.insight.at("chains").items()) partitions_seen += c.at("partitions").size();
  }
  for (const auto& p : default_pipeline()) EXPECT_GT(per_processor[p.id], 0u) << p.id << " emitted nothing";
  for (const auto kind : nebula_sim::kAllIncidentKinds)
    EXPECT_TRUE(kinds_started.count(std::string(nebula_sim::to_string(kind)))) << "no " << nebula_sim::to_string(kind);
  EXPECT_GT(partitions_seen, 0u);
}

// The table the replay is wired from is the shipped pipeline's processors:
// same ids, plugins, order, record inputs and insight inputs, no topic
// filters, no configs.
TEST(PipelineWiring, MirrorsTheShippedPipeline) {
  const YAML::Node root = YAML::LoadFile(std::string(NEBULA_SOURCE_DIR) + "/config/pipeline.yaml");
  std::set<std::string> transports;
  std::vector<WiredProcessor> shipped;
  for (const auto& c : root["components"]) {
    const auto id = c["id"].as<std::string>(), plugin = c["plugin"].as<std::string>();
    if (plugin.rfind("nebula.transport.", 0) == 0) transports.insert(id);
    if (plugin.rfind("nebula.processor.", 0) != 0) continue;
    EXPECT_FALSE(c["topics"]) << id << " filters topics; the replay does not";
    EXPECT_FALSE(c["config"]) << id << " has a config; the replay creates every processor with {}";
    WiredProcessor p{id, plugin, false, {}, 0};
    for (const auto& input : c["inputs"]) {
      const auto name = input.as<std::string>();
      if (transports.count(name)) p.reads_records = true;
      else p.insight_inputs.push_back(name);
    }
    shipped.push_back(std::move(p));
  }
  const auto mirrored = default_pipeline();
  ASSERT_EQ(shipped.size(), mirrored.size());
  for (size_t i = 0; i < shipped.size(); ++i) {
    EXPECT_EQ(shipped[i].id, mirrored[i].id);
    EXPECT_EQ(shipped[i].plugin, mirrored[i].plugin) << shipped[i].id;
    EXPECT_EQ(shipped[i].reads_records, mirrored[i].reads_records) << shipped[i].id;
    EXPECT_EQ(shipped[i].insight_inputs, mirrored[i].insight_inputs) << shipped[i].id;
  }
}

}  // namespace
}  // namespace same_answers
