// The real plugin library against the SDK's mock host: emission, persistence
// of the scales across instances, a damaged state file, and validation.
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include <nebula/testing/mock_host.hpp>

#include "nebula_test/test_batch.hpp"
#include "pattern_docs.hpp"

namespace {

using test_batch::Row;
namespace fs = std::filesystem;

const nebula_plugin_descriptor* descriptor() {
  static nebula::testing::PluginLibrary lib(std::string(NEBULA_PLUGIN_DIR) + "/libnebula_processor_learning.so");
  return lib.find("nebula.processor.learning");
}

// Rows for `nodes` testnet nodes at time ts.
nebula::OwnedBatch tick(double ts, int nodes = 2) {
  std::vector<Row> rows;
  for (int n = 0; n < nodes; ++n)
    rows.push_back({.ts = ts, .node = "n" + std::to_string(n), .type = "testnet", .chain = "testnet",
                    .height = int64_t(ts / 5) - n, .blocks = 2, .tx = int64_t(ts * 3), .peers = 8 + n,
                    .latency = 20.0 + ts / 10 + n, .cpu = 0.5});
  return test_batch::make(rows);
}

// A state dir of its own per test, removed afterwards (declared before the
// host so the instance's last save happens while it still exists).
struct TempDir {
  fs::path path;
  explicit TempDir(const std::string& name)
      : path(fs::temp_directory_path() / ("nebula-learning-test-" + name + "-" + std::to_string(::getpid()))) {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() { fs::remove_all(path); }
};

}  // namespace

TEST(LearningPlugin, EmitsTrainingExamplesOnceTheNextSampleArrives) {
  TempDir dir("emit");
  nebula::testing::MockHost host(dir.path);
  auto inst = host.create(descriptor());
  ASSERT_EQ(inst.feed(tick(100)), NEBULA_OK) << inst.last_error();
  EXPECT_TRUE(host.insights("learning").empty());  // no targets yet
  ASSERT_EQ(inst.feed(tick(110)), NEBULA_OK) << inst.last_error();
  auto out = host.insights("learning");
  ASSERT_EQ(out.size(), 1u);
  auto doc = nlohmann::json::parse(out[0].json);
  EXPECT_EQ(doc["kind"], "training_examples");
  EXPECT_EQ(doc["generated_at"], 110.0);
  ASSERT_EQ(doc["examples"].size(), 2u);
  EXPECT_EQ(doc["examples"][0]["node_id"], "n0");
  EXPECT_EQ(doc["examples"][0]["timestamp"], 100.0);
  EXPECT_EQ(doc["examples"][0]["targets"]["next_peers"], 8.0);
  EXPECT_EQ(doc["examples"][0]["targets"]["next_transactions"], 30.0);
  EXPECT_EQ(host.counter("examples"), 2.0);
}

TEST(LearningPlugin, ScalesSurviveARestart) {
  TempDir tmp("persist");
  const fs::path& dir = tmp.path;
  nlohmann::json before;
  {
    nebula::testing::MockHost host(dir);
    auto inst = host.create(descriptor());
    for (int i = 0; i < 5; ++i) ASSERT_EQ(inst.feed(tick(10.0 * i)), NEBULA_OK) << inst.last_error();
    before = nlohmann::json::parse(host.insights("learning").back().json)["normalization"];
    ASSERT_EQ(inst.flush(), NEBULA_OK);
  }
  ASSERT_TRUE(fs::exists(dir / "learning_normalization.json"));
  nebula::testing::MockHost host(dir);
  auto inst = host.create(descriptor());
  ASSERT_EQ(inst.feed(tick(50)), NEBULA_OK);  // first sample per node after restart: no example yet
  ASSERT_EQ(inst.feed(tick(60)), NEBULA_OK);
  auto after = nlohmann::json::parse(host.insights("learning").back().json)["normalization"];
  EXPECT_EQ(after["count"], before["count"].get<int>() + 4);  // continued, not restarted from 0
  EXPECT_EQ(host.counter("state_load_errors"), 0.0);
}

TEST(LearningPlugin, PersistsEveryNBatchesWithoutFlush) {
  TempDir tmp("every");
  const fs::path& dir = tmp.path;
  nebula::testing::MockHost host(dir);
  auto inst = host.create(descriptor(), R"({"persist_every_batches": 2})");
  ASSERT_EQ(inst.feed(tick(0)), NEBULA_OK);
  EXPECT_FALSE(fs::exists(dir / "learning_normalization.json"));
  ASSERT_EQ(inst.feed(tick(10)), NEBULA_OK);
  ASSERT_TRUE(fs::exists(dir / "learning_normalization.json"));
  auto saved = nlohmann::json::parse(std::ifstream(dir / "learning_normalization.json"));
  EXPECT_EQ(saved["samples"], 4);
  EXPECT_FALSE(fs::exists(dir / "learning_normalization.json.tmp"));
}

TEST(LearningPlugin, DamagedStateFileIsReportedAndStartsFresh) {
  TempDir tmp("corrupt");
  const fs::path& dir = tmp.path;
  std::ofstream(dir / "learning_normalization.json") << "\x01garbage{{{ not json";
  nebula::testing::MockHost host(dir);
  auto inst = host.create(descriptor());  // must not fail
  EXPECT_EQ(host.counter("state_load_errors"), 1.0);
  bool warned = false;
  for (const auto& l : host.logs()) warned = warned || (l.level == NEBULA_LOG_WARN && l.message.find("damaged") != std::string::npos);
  EXPECT_TRUE(warned);
  EXPECT_TRUE(fs::exists(dir / "learning_normalization.json.corrupt"));
  ASSERT_EQ(inst.feed(tick(0)), NEBULA_OK);
  ASSERT_EQ(inst.feed(tick(10)), NEBULA_OK);
  EXPECT_EQ(nlohmann::json::parse(host.insights("learning").back().json)["normalization"]["count"], 4);
}

TEST(LearningPlugin, PatternsInsightMarksExamples) {
  TempDir dir("patterns");
  nebula::testing::MockHost host(dir.path);
  auto inst = host.create(descriptor());
  const auto stalled = pattern_docs::patterns(0, {pattern_docs::stall("n1", 0.5, 0)});
  ASSERT_EQ(inst.feed_insight("patterns", stalled.dump()), NEBULA_OK);
  ASSERT_EQ(inst.feed_insight("patterns", "]]"), NEBULA_OK);
  ASSERT_EQ(inst.feed(tick(0)), NEBULA_OK);
  ASSERT_EQ(inst.feed(tick(10)), NEBULA_OK);
  auto ex = nlohmann::json::parse(host.insights("learning").back().json)["examples"];
  EXPECT_EQ(ex[0]["anomaly"]["active"], false);
  EXPECT_EQ(ex[1]["anomaly"], nlohmann::json({{"active", true}, {"kinds", {"stall"}}}));
  EXPECT_EQ(host.counter("pattern_insights_ignored"), 1.0);
}

TEST(LearningPlugin, ValidateReportsPointers) {
  char err[NEBULA_ERROR_CAP] = {0};
  EXPECT_EQ(descriptor()->validate_config(R"({"freeze_after": 1000, "max_examples_per_insight": 50})", err, sizeof err),
            NEBULA_OK)
      << err;
  EXPECT_EQ(descriptor()->validate_config(R"({"max_examples": 5, "persist_every_batches": 0})", err, sizeof err),
            NEBULA_INVALID);
  const std::string text = err;
  EXPECT_NE(text.find("/max_examples: unknown key"), std::string::npos) << text;
  EXPECT_NE(text.find("/persist_every_batches:"), std::string::npos) << text;
}
