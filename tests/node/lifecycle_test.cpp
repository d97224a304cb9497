// Create/destroy: config errors, stamping, the spill surviving a restart,
// seq numbers never reused after a crash, the spill dir lock.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <mutex>

#include "node_test_support.hpp"

namespace nebula::node::testing {
namespace {

nlohmann::json metric(int i) { return {{"blockchain", {{"current_height", i}}}}; }

std::string create_error(const nlohmann::json& cfg) {
  char err[1024] = {0};
  nebula_node* n = nebula_node_create(cfg.dump().c_str(), err, sizeof err);
  nebula_node_destroy(n);
  return n ? "" : err;
}

TEST(NodeCreate, ExplainsAMissingTransportPlugin) {
  TempDir dir;
  auto cfg = base_config("fake://127.0.0.1:1", dir.path() / "spill");
  cfg["transport"] = "nebula.transport.nope";
  const std::string err = create_error(cfg);
  EXPECT_NE(err.find("nebula.transport.nope"), std::string::npos) << err;
  EXPECT_NE(err.find("not found"), std::string::npos) << err;
}

TEST(NodeCreate, RefusesBadConfig) {
  TempDir dir;
  auto cfg = base_config("fake://127.0.0.1:1", dir.path() / "spill");
  cfg["batch_size"] = 0;
  EXPECT_NE(create_error(cfg).find("batch_size"), std::string::npos);
  cfg = base_config("fake://127.0.0.1:1", dir.path() / "spill");
  cfg["batch_sise"] = 10;
  EXPECT_NE(create_error(cfg).find("batch_sise: unknown key"), std::string::npos);
  EXPECT_NE(create_error(nlohmann::json::array()).find("JSON object"), std::string::npos);
  cfg = base_config("gopher://pool:70", dir.path() / "spill");
  cfg.erase("transport");
  EXPECT_NE(create_error(cfg).find("cannot choose a transport"), std::string::npos);
}

TEST(NodeRecord, StampsWhatTheNodeLeftOut) {
  FakePool pool;
  TempDir dir;
  Node node(base_config(pool.endpoint(), dir.path() / "spill"));
  ASSERT_EQ(node.record({{"network", {{"peer_count", 3}}}}), NEBULA_NODE_OK);
  ASSERT_EQ(node.record({{"seq", 42}, {"timestamp", 1767225600.5}, {"node_type", "full"}}), NEBULA_NODE_OK);
  ASSERT_EQ(node.record(nlohmann::json::object()), NEBULA_NODE_OK);
  ASSERT_EQ(node.flush(), NEBULA_NODE_OK);

  const auto batch = pool.arrivals().at(0).batch["data_batch"];
  ASSERT_EQ(batch.size(), 3u);
  EXPECT_EQ(batch[0]["node_id"], "node-1");
  EXPECT_EQ(batch[0]["node_type"], "testnet");
  EXPECT_EQ(batch[0]["chain_id"], "testnet");
  EXPECT_EQ(batch[0]["seq"], 0);
  EXPECT_TRUE(batch[0]["timestamp"].is_number_float());
  EXPECT_EQ(batch[0]["network"]["peer_count"], 3);
  EXPECT_EQ(batch[1]["seq"], 42);  // the sender's seq is kept ...
  EXPECT_EQ(batch[1]["timestamp"], 1767225600.5);
  EXPECT_EQ(batch[1]["node_type"], "full");
  EXPECT_EQ(batch[2]["seq"], 43);  // ... and numbering continues after it
}

TEST(NodeRecord, RefusesWhatIsNotARecord) {
  TempDir dir;
  FakePool pool;
  Node node(base_config(pool.endpoint(), dir.path() / "spill"));
  EXPECT_EQ(nebula_node_record(node.raw(), "[1,2]"), NEBULA_NODE_INVALID);
  EXPECT_EQ(nebula_node_record(node.raw(), "{nope"), NEBULA_NODE_INVALID);
  EXPECT_EQ(nebula_node_record(node.raw(), R"({"seq":-1})"), NEBULA_NODE_INVALID);
  EXPECT_EQ(nebula_node_record(node.raw(), R"({"node_id":7})"), NEBULA_NODE_INVALID);
  EXPECT_EQ(nebula_node_record(node.raw(), nullptr), NEBULA_NODE_INVALID);
  EXPECT_EQ(nebula_node_record(nullptr, "{}"), NEBULA_NODE_INVALID);
  EXPECT_EQ(node.stats()["recorded"], 0);
}

TEST(NodeRecord, MultiNodeHandleNeedsANodeIdPerRecord) {
  TempDir dir;
  FakePool pool;
  auto cfg = base_config(pool.endpoint(), dir.path() / "spill");
  cfg.erase("node_id");
  Node node(cfg);
  EXPECT_EQ(node.record(metric(1)), NEBULA_NODE_INVALID);
  EXPECT_EQ(node.record({{"node_id", "a"}}), NEBULA_NODE_OK);
}

TEST(NodeRestart, SpillSurvivesDestroyAndCreate) {
  FakePool pool;
  pool.stop_listening();
  TempDir dir;
  const auto spill = dir.path() / "spill";
  auto cfg = base_config(pool.endpoint(), spill);
  cfg["buffer_max_records"] = 100;
  cfg["shutdown_timeout_ms"] = 50;
  {
    Node node(cfg);
    for (int i = 0; i < 1000; ++i) ASSERT_EQ(node.record(metric(i)), NEBULA_NODE_OK);
  }  // destroy: the pool is down, so everything goes to disk
  EXPECT_EQ(count_lines(spill / "spill.jsonl"), 1000u);

  Node node(cfg);  // the pool is still down: nothing can leave yet
  EXPECT_EQ(node.stats()["pending"], 1000);
  for (int i = 1000; i < 1010; ++i) ASSERT_EQ(node.record(metric(i)), NEBULA_NODE_OK);
  pool.start_listening();
  ASSERT_EQ(node.flush(), NEBULA_NODE_OK);
  EXPECT_EQ(pool.accepted_seqs()["node-1"], iota_seqs(0, 1010));  // old first, seq continues, no duplicate
  node.destroy();
  EXPECT_EQ(count_lines(spill / "spill.jsonl"), 0u);
}

TEST(NodeRestart, InFlightBatchIsKeptWhenShutdownTimesOut) {
  FakePool pool;
  pool.on_batch([](const nlohmann::json&) { return Reply::retry(10); });  // never accepts
  TempDir dir;
  const auto spill = dir.path() / "spill";
  auto cfg = base_config(pool.endpoint(), spill);
  cfg["shutdown_timeout_ms"] = 30;
  {
    Node node(cfg);
    for (int i = 0; i < 75; ++i) ASSERT_EQ(node.record(metric(i)), NEBULA_NODE_OK);
    ASSERT_TRUE(eventually([&] { return node.stats()["retries"].get<int>() >= 1; }));
  }
  EXPECT_EQ(count_lines(spill / "spill.jsonl"), 75u);
}

TEST(NodeRestart, ACrashNeverReusesASeq) {
  TempDir dir;  // no FakePool yet: fork while this process has a single thread
  const auto spill = dir.path() / "spill";
  auto dead = base_config("fake://127.0.0.1:1", spill);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    char err[512];
    nebula_node* n = nebula_node_create(dead.dump().c_str(), err, sizeof err);
    for (int i = 0; n && i < 5; ++i) nebula_node_record(n, R"({"x":1})");
    ::_exit(n ? 0 : 1);  // a crash: no destroy, the 5 records in memory are lost
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);

  FakePool pool;
  Node node(base_config(pool.endpoint(), spill));
  ASSERT_EQ(node.record(metric(0)), NEBULA_NODE_OK);
  ASSERT_EQ(node.flush(), NEBULA_NODE_OK);
  const auto seqs = pool.accepted_seqs()["node-1"];
  ASSERT_EQ(seqs.size(), 1u);
  EXPECT_GE(seqs[0], 5);  // past everything the dead process may have sent
}

TEST(NodeRestart, SecondClientOnTheSameSpillDirIsRefused) {
  FakePool pool;
  TempDir dir;
  auto cfg = base_config(pool.endpoint(), dir.path() / "spill");
  Node first(cfg);
  EXPECT_NE(create_error(cfg).find("in use"), std::string::npos);
}

TEST(NodeFlush, TimesOutWhilePoolIsDownAndReportsPending) {
  FakePool pool;
  pool.stop_listening();
  TempDir dir;
  auto cfg = base_config(pool.endpoint(), dir.path() / "spill");
  cfg["shutdown_timeout_ms"] = 10;
  Node node(cfg);
  ASSERT_EQ(node.record(metric(1)), NEBULA_NODE_OK);
  EXPECT_EQ(node.flush(30ms), NEBULA_NODE_TIMEOUT);
  EXPECT_EQ(nebula_node_pending(node.raw()), 1u);
  EXPECT_EQ(node.flush(0ms), NEBULA_NODE_TIMEOUT);
}

TEST(NodeFlush, NothingRecordedFlushesAtOnce) {
  FakePool pool;
  TempDir dir;
  Node node(base_config(pool.endpoint(), dir.path() / "spill"));
  EXPECT_EQ(node.flush(0ms), NEBULA_NODE_OK);
}

TEST(NodeLog, CallbackReceivesLines) {
  struct Sink {
    std::mutex mu;
    std::vector<std::string> lines;
  } sink;  // outlives the handle that logs into it
  FakePool pool;
  pool.on_batch([](const nlohmann::json&) { return Reply::invalid(1); });
  TempDir dir;
  Node node(base_config(pool.endpoint(), dir.path() / "spill"));
  nebula_node_set_log_callback(
      node.raw(),
      [](void* user, nebula_node_log_level, const char* msg) {
        auto* s = static_cast<Sink*>(user);
        std::lock_guard lock(s->mu);
        s->lines.emplace_back(msg);
      },
      &sink);
  ASSERT_EQ(node.record(metric(1)), NEBULA_NODE_OK);
  ASSERT_EQ(node.flush(), NEBULA_NODE_OK);
  std::lock_guard lock(sink.mu);
  ASSERT_FALSE(sink.lines.empty());
  EXPECT_NE(sink.lines[0].find("rejected"), std::string::npos);
}

TEST(NodeStats, ReportsTheLengthNeededWhenTruncated) {
  FakePool pool;
  TempDir dir;
  Node node(base_config(pool.endpoint(), dir.path() / "spill"));
  char small[8];
  const size_t need = nebula_node_stats(node.raw(), small, sizeof small);
  EXPECT_GT(need, sizeof small);
  EXPECT_EQ(std::strlen(small), sizeof small - 1);
}

}  // namespace
}  // namespace nebula::node::testing
