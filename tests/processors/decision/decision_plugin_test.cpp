// The real libnebula_processor_decision.so against the SDK's mock host, and
// the two real plugins chained: records -> pattern -> decision.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "../pattern/engine_run.hpp"
#include "../pattern/sample_batch.hpp"
#include "insight_docs.hpp"
#include "nebula/testing/mock_host.hpp"
#include "nebula_decision/action.hpp"
#include "nebula_decision/priority_band.hpp"

namespace nebula::decision::testing {
namespace {

using ::testing::HasSubstr;
using nebula::testing::MockHost;
using nebula::testing::PluginLibrary;

const nebula_plugin_descriptor* plugin(const char* file, const char* id) {
  static std::map<std::string, std::unique_ptr<PluginLibrary>> libs;
  auto& lib = libs[file];
  if (!lib) lib = std::make_unique<PluginLibrary>(std::string(NEBULA_PLUGIN_DIR) + "/" + file);
  return lib->find(id);
}
const nebula_plugin_descriptor* decision() {
  return plugin("libnebula_processor_decision.so", "nebula.processor.decision");
}

TEST(DecisionPlugin, DescribesAndValidates) {
  auto* d = decision();
  EXPECT_EQ(d->kind, NEBULA_KIND_PROCESSOR);
  EXPECT_STREQ(d->name, "Decision Optimizer");
  char err[NEBULA_ERROR_CAP] = {};
  EXPECT_EQ(d->validate_config(R"({"max_recommendations": 10})", err, sizeof err), NEBULA_OK) << err;
  EXPECT_EQ(d->validate_config(R"({"quarantine_after": 0, "colour": "red"})", err, sizeof err), NEBULA_INVALID);
  EXPECT_THAT(err, HasSubstr("/quarantine_after: must be between"));
  EXPECT_THAT(err, HasSubstr("/colour: unknown key"));
  MockHost host;
  EXPECT_THROW(host.create(d, R"({"topic": 5})"), std::runtime_error);
}

TEST(DecisionPlugin, TurnsPatternsIntoDecisions) {
  MockHost host;
  auto inst = host.create(decision());
  json s = stall("t1", 0.6, 100);
  ASSERT_EQ(inst.feed_insight("patterns", patterns(110, {s}, {s}).dump()), NEBULA_OK) << inst.last_error();
  EXPECT_TRUE(host.insights("decisions").empty()) << "decided before the cycle ended";
  ASSERT_EQ(inst.end_cycle(), NEBULA_OK) << inst.last_error();
  auto out = host.insights("decisions");
  ASSERT_EQ(out.size(), 1u);
  auto doc = json::parse(out[0].json);
  EXPECT_EQ(doc["kind"], "decisions");
  ASSERT_EQ(doc["recommendations"].size(), 1u);
  EXPECT_EQ(doc["recommendations"][0]["action"], "resync");
  EXPECT_DOUBLE_EQ(host.gauge("recommendations"), 1);

  // Junk does not fail the stage; it is counted and logged.
  EXPECT_EQ(inst.feed_insight("patterns", "not json"), NEBULA_OK);
  EXPECT_EQ(inst.end_cycle(), NEBULA_OK);
  EXPECT_DOUBLE_EQ(host.counter("malformed_inputs"), 1);
  EXPECT_EQ(host.insights("decisions").size(), 1u);
}

// Each input of a cycle is taken; the list is ranked and published once, at
// its end, from all of them.
TEST(DecisionPlugin, ACycleOfInputsIsDecidedOnceFromAllOfThem) {
  MockHost host;
  auto inst = host.create(decision());
  json stalled = stall("t1", 0.6, 100), other = stall("t2", 0.6, 101);
  ASSERT_EQ(inst.feed_insight("patterns", patterns(110, {stalled}, {stalled}).dump(), "a"), NEBULA_OK);
  ASSERT_EQ(inst.feed_insight("patterns", patterns(111, {other}, {other}).dump(), "b"), NEBULA_OK);
  ASSERT_EQ(inst.feed_insight("patterns", "not json"), NEBULA_OK);
  EXPECT_TRUE(host.insights("decisions").empty());
  ASSERT_EQ(inst.end_cycle(), NEBULA_OK) << inst.last_error();
  const auto out = host.insights("decisions");
  ASSERT_EQ(out.size(), 1u);
  const auto doc = json::parse(out[0].json);
  std::set<std::string> targets;
  for (const auto& r : doc["recommendations"]) targets.insert(r["target"]);
  EXPECT_EQ(targets, (std::set<std::string>{"t1", "t2"})) << doc.dump(2);
  EXPECT_EQ(doc["added"].size(), 2u) << doc.dump(2);
  EXPECT_EQ(doc["inputs"]["patterns"], 2);
  EXPECT_EQ(doc["inputs"]["malformed"], 1);

  // A cycle with nothing new decides nothing; neither does a drain.
  ASSERT_EQ(inst.end_cycle(), NEBULA_OK);
  ASSERT_EQ(inst.flush(), NEBULA_OK);
  EXPECT_EQ(host.insights("decisions").size(), 1u);
}

// The real pattern plugin feeding the real decision plugin, step by step.
struct PatternToDecision {
  MockHost pattern_host, decision_host;
  nebula::testing::Instance pattern =
      pattern_host.create(plugin("libnebula_processor_pattern.so", "nebula.processor.pattern"));
  nebula::testing::Instance decision_inst = decision_host.create(decision());
  nebula::pattern::testing::SyntheticFleet fleet{6, 3};

  void pump(int steps) {
    for (int i = 0; i < steps; ++i) {
      pattern_host.clear_insights();
      ASSERT_EQ(pattern.feed(nebula::pattern::testing::to_batch(fleet.step())), NEBULA_OK);
      for (const auto& in : pattern_host.insights("patterns"))
        ASSERT_EQ(decision_inst.feed_insight(in.topic, in.json, "pattern"), NEBULA_OK) << decision_inst.last_error();
      ASSERT_EQ(decision_inst.end_cycle(), NEBULA_OK) << decision_inst.last_error();
    }
  }
  // t2 eclipsed (one peer, slow), m1 out of CPU: add_peers and scale_resources.
  void break_two_nodes() {
    fleet.node("t2").peers = 1;
    fleet.node("t2").latency_ms = 300;
    fleet.node("m1").cpu_pct = 99;
  }
  void repair_them() {
    fleet.node("t2").peers = 12;
    fleet.node("t2").latency_ms = 60;
    fleet.node("m1").cpu_pct = 40;
  }
  json last_decisions() const { return json::parse(decision_host.insights("decisions").back().json); }
};

TEST(DecisionPlugin, PatternAndDecisionChained) {
  PatternToDecision chain;
  chain.pump(200);
  chain.break_two_nodes();
  chain.pump(10);
  auto doc = chain.last_decisions();
  std::set<std::pair<std::string, std::string>> got;
  for (const auto& r : doc["recommendations"]) got.emplace(r["action"], r["target"]);
  EXPECT_TRUE(got.count({"add_peers", "t2"})) << doc.dump(2);
  EXPECT_TRUE(got.count({"scale_resources", "m1"})) << doc.dump(2);
  // Emitted when the list changed: both incidents were confirmed at step 203.
  EXPECT_DOUBLE_EQ(doc["generated_at"].get<double>(), nebula::pattern::testing::step_time(203));

  chain.repair_them();
  chain.pump(5);
  doc = chain.last_decisions();
  EXPECT_TRUE(doc["recommendations"].empty()) << doc.dump(2);
}

TEST(DecisionPluginMetrics, EveryActionAndBandIsShownFromTheFirstInput) {
  MockHost host;
  auto inst = host.create(decision());
  EXPECT_EQ(host.metric_type("recommendations_active"), NEBULA_METRIC_GAUGE);
  EXPECT_EQ(host.metric_labels("recommendations_active"), (std::vector<std::string>{"action", "priority"}));
  json s = stall("t1", 0.6, 100);
  ASSERT_EQ(inst.feed_insight("patterns", patterns(110, {s}, {s}).dump()), NEBULA_OK) << inst.last_error();
  ASSERT_EQ(inst.end_cycle(), NEBULA_OK) << inst.last_error();
  EXPECT_EQ(host.metric_series("recommendations_active").size(), kAllActions.size() * kPriorityBands.size());
  const auto doc = json::parse(host.insights("decisions").back().json);
  ASSERT_EQ(doc["recommendations"].size(), 1u);
  const std::string band(priority_band(doc["recommendations"][0]["score"].get<double>()));
  EXPECT_DOUBLE_EQ(host.metric("recommendations_active", {"resync", band}), 1);
}

TEST(DecisionPluginMetrics, FollowTheRankedListAndReturnToZero) {
  PatternToDecision chain;
  chain.pump(200);
  chain.break_two_nodes();
  chain.pump(10);
  const auto doc = chain.last_decisions();
  ASSERT_GE(doc["recommendations"].size(), 2u) << doc.dump(2);
  std::map<std::vector<std::string>, double> expected;
  for (const auto& r : doc["recommendations"])
    expected[{r["action"].get<std::string>(), std::string(priority_band(r["score"].get<double>()))}] += 1;
  for (const auto& [labels, value] : chain.decision_host.metric_series("recommendations_active")) {
    const auto it = expected.find(labels);
    EXPECT_DOUBLE_EQ(value, it == expected.end() ? 0 : it->second) << labels[0] << "/" << labels[1];
  }

  chain.repair_them();
  chain.pump(5);
  for (const auto& [labels, value] : chain.decision_host.metric_series("recommendations_active")) {
    EXPECT_DOUBLE_EQ(value, 0) << labels[0] << "/" << labels[1] << " once every incident ended";
  }
}

}  // namespace
}  // namespace nebula::decision::testing
