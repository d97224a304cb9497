// The real libnebula_processor_pattern.so against the SDK's mock host.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "nebula/testing/mock_host.hpp"
#include "sample_batch.hpp"
#include "synthetic_fleet.hpp"

namespace nebula::pattern::testing {
namespace {

using ::testing::HasSubstr;
using nebula::testing::MockHost;
using nebula::testing::PluginLibrary;

const std::string kLibrary = std::string(NEBULA_PLUGIN_DIR) + "/libnebula_processor_pattern.so";

const nebula_plugin_descriptor* descriptor() {
  static PluginLibrary lib(kLibrary);
  return lib.find("nebula.processor.pattern");
}

TEST(PatternPlugin, DescribesItself) {
  auto* d = descriptor();
  EXPECT_EQ(d->kind, NEBULA_KIND_PROCESSOR);
  EXPECT_STREQ(d->name, "Pattern Recognizer");
  EXPECT_NE(d->get_capability(NEBULA_CAP_PROCESSOR), nullptr);
  EXPECT_EQ(d->get_capability(NEBULA_CAP_AGENT), nullptr);
}

TEST(PatternPlugin, ValidateReportsEveryBadKeyWithItsPointer) {
  char err[NEBULA_ERROR_CAP] = {};
  EXPECT_EQ(descriptor()->validate_config(R"({"max_nodes": 1000})", err, sizeof err), NEBULA_OK) << err;
  EXPECT_EQ(descriptor()->validate_config(R"({"stall": {"intervals": 0}, "nope": 1, "tx_flood": {"factor": "x"}})",
                                          err, sizeof err),
            NEBULA_INVALID);
  EXPECT_THAT(err, HasSubstr("/stall/intervals: must be between"));
  EXPECT_THAT(err, HasSubstr("/nope: unknown key"));
  EXPECT_THAT(err, HasSubstr("/tx_flood/factor: must be a number"));
  MockHost host;
  EXPECT_THROW(host.create(descriptor(), R"({"bogus": true})"), std::runtime_error);
}

TEST(PatternPlugin, EmitsOnePatternsInsightPerBatchWithTheIncident) {
  MockHost host;
  auto inst = host.create(descriptor(), R"({"max_listed": 50})");
  SyntheticFleet fleet(5, 2);
  for (int i = 0; i < 200; ++i) ASSERT_EQ(inst.feed(to_batch(fleet.step())), NEBULA_OK) << inst.last_error();
  fleet.node("t4").stalled = true;
  for (int i = 0; i < 12; ++i) ASSERT_EQ(inst.feed(to_batch(fleet.step())), NEBULA_OK) << inst.last_error();

  auto insights = host.insights("patterns");
  ASSERT_EQ(insights.size(), 212u);
  nlohmann::json started;
  for (const auto& in : insights) {
    auto doc = nlohmann::json::parse(in.json);
    ASSERT_EQ(doc["kind"], "patterns");
    if (!doc["started"].empty()) started = doc["started"][0];
  }
  ASSERT_FALSE(started.is_null());
  EXPECT_EQ(started["kind"], "stall");
  EXPECT_EQ(started["node_id"], "t4");
  EXPECT_DOUBLE_EQ(started["start"].get<double>(), SyntheticFleet::kStart + 201 * 5);
  auto last = nlohmann::json::parse(insights.back().json);
  EXPECT_DOUBLE_EQ(last["generated_at"].get<double>(), fleet.now()) << "record time, not wall clock";
  ASSERT_EQ(last["active"].size(), 1u);
  EXPECT_EQ(last["active"][0]["kind"], "stall");
  EXPECT_DOUBLE_EQ(host.counter("records"), 212.0 * 7);
  EXPECT_DOUBLE_EQ(host.counter("incidents_started"), 1);
  EXPECT_DOUBLE_EQ(host.gauge("incidents_active"), 1);
}

TEST(PatternPlugin, TransitionsSurviveARefusedEmit) {
  MockHost host;
  auto inst = host.create(descriptor());
  SyntheticFleet fleet(3, 0);
  for (int i = 0; i < 200; ++i) ASSERT_EQ(inst.feed(to_batch(fleet.step())), NEBULA_OK);
  fleet.node("t0").cpu_pct = 99;
  host.set_full(true);  // downstream full while the incident starts
  for (int i = 0; i < 3; ++i) EXPECT_EQ(inst.feed(to_batch(fleet.step())), NEBULA_OK) << inst.last_error();
  host.clear_insights();
  host.set_full(false);
  ASSERT_EQ(inst.feed(to_batch(fleet.step())), NEBULA_OK);
  auto insights = host.insights("patterns");
  ASSERT_EQ(insights.size(), 1u);
  auto doc = nlohmann::json::parse(insights[0].json);
  ASSERT_EQ(doc["started"].size(), 1u);
  EXPECT_EQ(doc["started"][0]["kind"], "resource_exhaustion");
  EXPECT_GT(host.counter("emit_deferred"), 0);
}

}  // namespace
}  // namespace nebula::pattern::testing
