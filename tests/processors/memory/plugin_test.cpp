// The real plugin library against the SDK's mock host: emission, a restart
// that remembers, a damaged state file, and validation.
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include <nebula/testing/mock_host.hpp>

#include "nebula_test/test_batch.hpp"

namespace {

using test_batch::Row;
namespace fs = std::filesystem;

const nebula_plugin_descriptor* descriptor() {
  static nebula::testing::PluginLibrary lib(std::string(NEBULA_PLUGIN_DIR) + "/libnebula_processor_memory.so");
  return lib.find("nebula.processor.memory");
}

nebula::OwnedBatch tick(double ts, double latency = 40) {
  return test_batch::make({{.ts = ts, .node = "t1", .type = "testnet", .chain = "testnet", .height = int64_t(ts / 5),
                            .tx = int64_t(ts * 2), .peers = 8, .latency = latency, .cpu = 0.4, .memory = 0.6},
                           {.ts = ts, .node = "m1", .type = "mainnet", .chain = "mainnet", .height = int64_t(ts / 30),
                            .tx = int64_t(ts), .peers = 12, .latency = latency * 2}});
}

// A state dir of its own per test, removed afterwards.
struct TempDir {
  fs::path path;
  explicit TempDir(const std::string& name)
      : path(fs::temp_directory_path() / ("nebula-memory-test-" + name + "-" + std::to_string(::getpid()))) {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() { fs::remove_all(path); }
};

nlohmann::json chain_of(const nlohmann::json& doc, const std::string& id) {
  for (const auto& c : doc["chains"])
    if (c["chain_id"] == id) return c;
  return nullptr;
}

}  // namespace

TEST(MemoryPlugin, EmitsMemoryInsightPerBatch) {
  TempDir dir("emit");
  nebula::testing::MockHost host(dir.path);
  auto inst = host.create(descriptor());
  ASSERT_EQ(inst.feed(tick(3600)), NEBULA_OK) << inst.last_error();
  ASSERT_EQ(inst.feed(tick(3630)), NEBULA_OK) << inst.last_error();
  auto out = host.insights("memory");
  ASSERT_EQ(out.size(), 2u);
  auto doc = nlohmann::json::parse(out.back().json);
  EXPECT_EQ(doc["kind"], "memory");
  EXPECT_EQ(doc["generated_at"], 3630.0);
  EXPECT_EQ(doc["nodes_tracked"], 2);
  auto t = chain_of(doc, "testnet");
  EXPECT_EQ(t["baseline"]["samples"], 2);
  EXPECT_EQ(t["baseline"]["metrics"]["tx_rate"]["mean"], 2.0);
  EXPECT_EQ(t["latest_hour"]["hour_start"], 3600.0);
  EXPECT_EQ(t["latest_hour"]["samples"], 2);
  EXPECT_TRUE(doc["deviating_nodes"].is_array());
}

TEST(MemoryPlugin, RestartRemembersBaselinesAndHistory) {
  TempDir dir("persist");
  nlohmann::json before;
  {
    nebula::testing::MockHost host(dir.path);
    auto inst = host.create(descriptor());
    for (int i = 0; i < 5; ++i) ASSERT_EQ(inst.feed(tick(3600.0 * i + 10)), NEBULA_OK) << inst.last_error();
    ASSERT_EQ(inst.flush(), NEBULA_OK);
    before = nlohmann::json::parse(host.insights("memory").back().json);
  }
  ASSERT_TRUE(fs::exists(dir.path / "memory_state.json"));
  nebula::testing::MockHost host(dir.path);
  auto inst = host.create(descriptor());
  EXPECT_EQ(host.counter("state_load_errors"), 0.0);
  ASSERT_EQ(inst.feed(tick(3600.0 * 5 + 10)), NEBULA_OK);
  auto after = nlohmann::json::parse(host.insights("memory").back().json);
  auto t_before = chain_of(before, "testnet"), t_after = chain_of(after, "testnet");
  EXPECT_EQ(t_after["baseline"]["samples"], t_before["baseline"]["samples"].get<int>() + 1);
  EXPECT_EQ(t_after["baseline"]["first_seen"], 10.0);
  EXPECT_EQ(t_after["hours_retained"], 6);
  // The tx counter continued across the restart: still 2 tx/s, not a jump.
  EXPECT_DOUBLE_EQ(t_after["latest_hour"]["metrics"]["tx_rate"]["mean"].get<double>(), 2.0);
}

TEST(MemoryPlugin, PersistsEveryNBatches) {
  TempDir dir("every");
  nebula::testing::MockHost host(dir.path);
  auto inst = host.create(descriptor(), R"({"persist_every_batches": 3})");
  ASSERT_EQ(inst.feed(tick(0)), NEBULA_OK);
  ASSERT_EQ(inst.feed(tick(10)), NEBULA_OK);
  EXPECT_FALSE(fs::exists(dir.path / "memory_state.json"));
  ASSERT_EQ(inst.feed(tick(20)), NEBULA_OK);
  EXPECT_TRUE(fs::exists(dir.path / "memory_state.json"));
  EXPECT_FALSE(fs::exists(dir.path / "memory_state.json.tmp"));
  EXPECT_EQ(host.counter("state_saves"), 1.0);
}

TEST(MemoryPlugin, DamagedStateFileIsReportedAndStartsFresh) {
  TempDir dir("corrupt");
  std::ofstream(dir.path / "memory_state.json") << R"({"format":"nebula.memory.state","version":1,"nodes":[{"node_id":)";
  nebula::testing::MockHost host(dir.path);
  auto inst = host.create(descriptor());  // must not fail
  EXPECT_EQ(host.counter("state_load_errors"), 1.0);
  bool warned = false;
  for (const auto& l : host.logs())
    warned = warned || (l.level == NEBULA_LOG_WARN && l.message.find("damaged") != std::string::npos);
  EXPECT_TRUE(warned);
  EXPECT_TRUE(fs::exists(dir.path / "memory_state.json.corrupt"));
  ASSERT_EQ(inst.feed(tick(100)), NEBULA_OK);
  auto doc = nlohmann::json::parse(host.insights("memory").back().json);
  EXPECT_EQ(chain_of(doc, "testnet")["baseline"]["samples"], 1);
}

TEST(MemoryPlugin, WrongShapeStateIsDamagedToo) {
  TempDir dir("shape");
  std::ofstream(dir.path / "memory_state.json") << R"({"format":"nebula.memory.state","version":1,"generated_at":1,
      "chains":[],"nodes":[{"node_id":"x","chain":"c","node_type":"t","baseline":{"samples":"many"}}]})";
  nebula::testing::MockHost host(dir.path);
  auto inst = host.create(descriptor());
  EXPECT_EQ(host.counter("state_load_errors"), 1.0);
  ASSERT_EQ(inst.feed(tick(100)), NEBULA_OK);
  EXPECT_EQ(nlohmann::json::parse(host.insights("memory").back().json)["nodes_tracked"], 2);
}

TEST(MemoryPlugin, ValidateReportsPointers) {
  char err[NEBULA_ERROR_CAP] = {0};
  EXPECT_EQ(descriptor()->validate_config(R"({"alpha": 0.1, "chain_hours": 24})", err, sizeof err), NEBULA_OK) << err;
  EXPECT_EQ(descriptor()->validate_config(R"({"alpha": 2, "node_hour": 3})", err, sizeof err), NEBULA_INVALID);
  const std::string text = err;
  EXPECT_NE(text.find("/alpha:"), std::string::npos) << text;
  EXPECT_NE(text.find("/node_hour: unknown key"), std::string::npos) << text;
}
