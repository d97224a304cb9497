// The real libnebula_processor_decision.so against the SDK's mock host, and
// the two real plugins chained: records -> pattern -> decision.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "../pattern/engine_run.hpp"
#include "../pattern/sample_batch.hpp"
#include "insight_docs.hpp"
#include "nebula/testing/mock_host.hpp"

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
  auto out = host.insights("decisions");
  ASSERT_EQ(out.size(), 1u);
  auto doc = json::parse(out[0].json);
  EXPECT_EQ(doc["kind"], "decisions");
  ASSERT_EQ(doc["recommendations"].size(), 1u);
  EXPECT_EQ(doc["recommendations"][0]["action"], "resync");
  EXPECT_DOUBLE_EQ(host.gauge("recommendations"), 1);

  // Junk does not fail the stage; it is counted and logged.
  EXPECT_EQ(inst.feed_insight("patterns", "not json"), NEBULA_OK);
  EXPECT_DOUBLE_EQ(host.counter("malformed_inputs"), 1);
  EXPECT_EQ(host.insights("decisions").size(), 1u);
}

TEST(DecisionPlugin, PatternAndDecisionChained) {
  MockHost pattern_host, decision_host;
  auto pattern = pattern_host.create(plugin("libnebula_processor_pattern.so", "nebula.processor.pattern"));
  auto dec = decision_host.create(decision());
  nebula::pattern::testing::SyntheticFleet fleet(6, 3);
  auto pump = [&](int steps) {
    for (int i = 0; i < steps; ++i) {
      pattern_host.clear_insights();
      ASSERT_EQ(pattern.feed(nebula::pattern::testing::to_batch(fleet.step())), NEBULA_OK);
      for (const auto& in : pattern_host.insights("patterns"))
        ASSERT_EQ(dec.feed_insight(in.topic, in.json, "pattern"), NEBULA_OK) << dec.last_error();
    }
  };
  pump(200);
  fleet.node("t2").peers = 1;
  fleet.node("t2").latency_ms = 300;
  fleet.node("m1").cpu_pct = 99;
  pump(10);
  auto doc = json::parse(decision_host.insights("decisions").back().json);
  std::set<std::pair<std::string, std::string>> got;
  for (const auto& r : doc["recommendations"]) got.emplace(r["action"], r["target"]);
  EXPECT_TRUE(got.count({"add_peers", "t2"})) << doc.dump(2);
  EXPECT_TRUE(got.count({"scale_resources", "m1"})) << doc.dump(2);
  // Emitted when the list changed: both incidents were confirmed at step 203.
  EXPECT_DOUBLE_EQ(doc["generated_at"].get<double>(), nebula::pattern::testing::step_time(203));

  fleet.node("t2").peers = 12;
  fleet.node("t2").latency_ms = 60;
  fleet.node("m1").cpu_pct = 40;
  pump(5);
  doc = json::parse(decision_host.insights("decisions").back().json);
  EXPECT_TRUE(doc["recommendations"].empty()) << doc.dump(2);
}

}  // namespace
}  // namespace nebula::decision::testing
