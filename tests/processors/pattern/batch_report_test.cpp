// The `patterns` insight schema.
#include <gtest/gtest.h>

#include "engine_run.hpp"

namespace nebula::pattern::testing {
namespace {

TEST(BatchReportJson, SchemaOfAPatternsInsight) {
  SyntheticFleet fleet(4, 1);
  EngineRun run;
  run.run(fleet, 200);
  fleet.node("t1").peers = 1;
  fleet.node("t1").latency_ms = 250;
  nlohmann::json started_doc;
  for (int i = 0; i < 5; ++i) {
    run.feed(fleet.step());
    if (!run.last.started.empty()) started_doc = nlohmann::json::parse(to_text(run.last, 100));
  }
  ASSERT_FALSE(started_doc.is_null());
  EXPECT_EQ(started_doc["kind"], "patterns");
  EXPECT_DOUBLE_EQ(started_doc["generated_at"].get<double>(), step_time(203));
  ASSERT_EQ(started_doc["started"].size(), 1u);
  ASSERT_EQ(started_doc["active"].size(), 1u);
  EXPECT_TRUE(started_doc["ended"].empty());
  const auto& inc = started_doc["started"][0];
  EXPECT_EQ(inc["kind"], "eclipse");
  EXPECT_EQ(inc["node_id"], "t1");
  EXPECT_EQ(inc["chain_id"], "testnet");
  EXPECT_DOUBLE_EQ(inc["start"].get<double>(), step_time(201));
  EXPECT_TRUE(inc["severity"]["score"].is_number());
  EXPECT_TRUE(inc["severity"]["label"] == "low" || inc["severity"]["label"] == "medium" ||
              inc["severity"]["label"] == "high");
  EXPECT_EQ(inc["id"], "eclipse/t1/" + std::to_string(static_cast<long long>(step_time(201))) + ".000");
  ASSERT_EQ(inc["evidence"].size(), 2u);
  for (const auto& e : inc["evidence"]) {
    EXPECT_TRUE(e.contains("metric"));
    EXPECT_TRUE(e["value"].is_number());
    EXPECT_TRUE(e["baseline"].is_number());
    EXPECT_TRUE(e["deviation"].is_number());
  }
  EXPECT_EQ(started_doc["chains"]["testnet"]["nodes"], 4);
  EXPECT_DOUBLE_EQ(started_doc["chains"]["mainnet"]["expected_interval_s"].get<double>(), 30);
  EXPECT_EQ(started_doc["stats"]["nodes"], 5);
}

TEST(BatchReportJson, ListsAreCapped) {
  BatchReport r;
  for (int i = 0; i < 5; ++i) {
    Incident inc;
    inc.id = std::to_string(i);
    r.active.push_back(inc);
  }
  auto j = nlohmann::json::parse(to_text(r, 2));
  EXPECT_EQ(j["active"].size(), 2u);
  EXPECT_EQ(j["truncated"]["active"], 3);
  EXPECT_TRUE(j["generated_at"].is_null());
}

}  // namespace
}  // namespace nebula::pattern::testing
