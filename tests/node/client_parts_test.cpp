// Unit tests of the client's parts: config and discovery, backoff, record
// stamping, batch documents, spill lines and the spill file.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "backoff.hpp"
#include "batch_document.hpp"
#include "node_config.hpp"
#include "node_test_support.hpp"
#include "record_stamp.hpp"
#include "seq_store.hpp"
#include "spill_file.hpp"
#include "spill_line.hpp"

namespace nebula::node {
namespace {

using testing::TempDir;
using namespace std::chrono_literals;

// Env changes are undone so test order does not matter.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value) ::setenv(name, value, 1);
    else ::unsetenv(name);
  }
  ~ScopedEnv() {
    if (old_) ::setenv(name_, old_->c_str(), 1);
    else ::unsetenv(name_);
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

TEST(NodeConfig, DefaultsFollowTheDesign) {
  ScopedEnv env("NEBULA_POOL_ENDPOINT", nullptr);
  const NodeConfig c = parse_node_config(R"({"node_id":"n1","spill_dir":"/tmp/x"})");
  EXPECT_EQ(c.endpoints, std::vector<std::string>{"http://localhost:7000"});
  EXPECT_EQ(c.batch_size, 50u);
  EXPECT_EQ(c.flush_interval, 30'000ms);
  EXPECT_EQ(c.buffer_max_records, 10'000u);
  EXPECT_EQ(c.backoff.initial, 500ms);
  EXPECT_EQ(c.backoff.max, 60'000ms);
  EXPECT_EQ(c.workers, 1u);
  EXPECT_EQ(c.transport, "auto");
}

TEST(NodeConfig, EndpointDiscoveryOrder) {
  EXPECT_EQ(discover_endpoints({"tcp://a:1"}, "http://env:7000"), std::vector<std::string>{"tcp://a:1"});
  EXPECT_EQ(discover_endpoints({}, "http://e1:7000, http://e2:7000"),
            (std::vector<std::string>{"http://e1:7000", "http://e2:7000"}));
  EXPECT_EQ(discover_endpoints({}, nullptr), std::vector<std::string>{"http://localhost:7000"});
  EXPECT_EQ(discover_endpoints({}, ""), std::vector<std::string>{"http://localhost:7000"});

  ScopedEnv env("NEBULA_POOL_ENDPOINT", "tcp://from-env:7001");
  EXPECT_EQ(parse_node_config(R"({"spill_dir":"/tmp/x"})").endpoints, std::vector<std::string>{"tcp://from-env:7001"});
}

TEST(NodeConfig, TransportByScheme) {
  EXPECT_EQ(transport_for_endpoint("http://h:7000", "auto"), "nebula.transport.http");
  EXPECT_EQ(transport_for_endpoint("tcp://h:7001", "auto"), "nebula.transport.tcp");
  EXPECT_EQ(transport_for_endpoint("file:///var/spool/x.jsonl", "auto"), "nebula.transport.file");
  EXPECT_EQ(transport_for_endpoint("redis://h:6379/0", "auto"), "nebula.transport.redis");
  EXPECT_EQ(transport_for_endpoint("weird://h", "com.example.mine"), "com.example.mine");
  EXPECT_THROW(transport_for_endpoint("h:7000", "auto"), std::invalid_argument);
}

TEST(NodeConfig, PluginDirsAddTheEnvironmentPath) {
  ScopedEnv env("NEBULA_PLUGIN_PATH", "/opt/a:/opt/b");
  const NodeConfig c = parse_node_config(R"({"plugin_dir":"/x","spill_dir":"/tmp/x"})");
  EXPECT_EQ(c.plugin_dirs, (std::vector<std::string>{"/x", "/opt/a", "/opt/b"}));
}

TEST(NodeConfig, ErrorsNameTheKey) {
  auto error_of = [](const char* text) {
    try {
      parse_node_config(text);
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_EQ(error_of(R"({"workers":0})"), "workers: must be between 1 and 256");
  EXPECT_EQ(error_of(R"({"batch_size":"ten"})"), "batch_size: must be a non-negative integer");
  EXPECT_EQ(error_of(R"({"backoff":{"initial_ms":100,"max_ms":10}})"), "backoff.max_ms: must be >= backoff.initial_ms");
  EXPECT_EQ(error_of(R"({"backoff":{"jitter":1}})"), "backoff.jitter: unknown key (initial_ms, max_ms)");
  EXPECT_EQ(error_of(R"({"log_level":"loud"})"), "log_level: must be one of debug, info, warn, error");
  EXPECT_EQ(error_of(R"({"transport_config":[]})"), "transport_config: must be an object");
}

TEST(NodeConfig, DefaultSpillDirIsPerNode) {
  ScopedEnv xdg("XDG_STATE_HOME", "/var/state");
  EXPECT_EQ(default_spill_dir("n7"), "/var/state/nebula-node/n7");
}

TEST(NodeBackoff, FullJitterUnderADoublingCeiling) {
  Backoff b(500ms, 60'000ms, 42);
  const std::int64_t ceilings[] = {500, 1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000};
  for (auto c : ceilings) {
    EXPECT_EQ(b.ceiling().count(), c);
    const auto wait = b.next();
    EXPECT_GE(wait.count(), 0);
    EXPECT_LE(wait.count(), c);
  }
  b.reset();
  EXPECT_EQ(b.ceiling(), 500ms);
  for (int i = 0; i < 1000; ++i) b.next();  // no overflow however long the outage
  EXPECT_EQ(b.ceiling(), 60'000ms);
}

TEST(NodeBackoff, JitterActuallySpreads) {
  Backoff b(1000ms, 1000ms, 7);
  std::int64_t lo = 1000, hi = 0;
  for (int i = 0; i < 200; ++i) {
    const auto w = b.next().count();
    lo = std::min(lo, w);
    hi = std::max(hi, w);
  }
  EXPECT_LT(lo, 200);
  EXPECT_GT(hi, 800);
}

TEST(NodeStamp, FillsDefaultsAndKeepsTheSendersFields) {
  const StampDefaults d{"n1", "mainnet", "main"};
  auto r = prepare_record(R"({"blockchain":{"current_height":5},"ai_metrics":{"x":1}})", d, 100.5);
  EXPECT_EQ(r.node_id, "n1");
  EXPECT_FALSE(r.seq);
  auto doc = nlohmann::json::parse(r.json);
  EXPECT_EQ(doc["timestamp"], 100.5);
  EXPECT_EQ(doc["node_type"], "mainnet");
  EXPECT_EQ(doc["chain_id"], "main");
  EXPECT_EQ(doc["ai_metrics"]["x"], 1);
  EXPECT_FALSE(doc.contains("seq"));

  r = prepare_record(R"({"node_id":"other","seq":9,"timestamp":1})", d, 100.5);
  EXPECT_EQ(r.node_id, "other");
  EXPECT_EQ(r.seq, 9);
  EXPECT_THROW(prepare_record(R"({"timestamp":"now"})", d, 1), std::invalid_argument);
  EXPECT_THROW(prepare_record(R"({"seq":1.5})", d, 1), std::invalid_argument);
  EXPECT_THROW(prepare_record(R"({"seq":18446744073709551615})", d, 1), std::invalid_argument);
  EXPECT_THROW(prepare_record("{}", StampDefaults{}, 1), std::invalid_argument);
}

TEST(NodeStamp, WithSeqSplicesTheFirstMember) {
  EXPECT_EQ(with_seq("{}", 3), R"({"seq":3})");
  EXPECT_EQ(with_seq(R"({"a":1})", 12), R"({"seq":12,"a":1})");
  EXPECT_TRUE(nlohmann::json::accept(with_seq(R"({"a":{"b":[1,2]}})", 0)));
}

TEST(NodeBatchDocument, IsTheDataBatchShape) {
  BatchDocument b(R"("node \"7\"")");
  b.add(R"({"seq":0})");
  b.add(R"({"seq":1})");
  const auto doc = nlohmann::json::parse(b.finish(1767225600.25));
  EXPECT_EQ(doc["node_id"], "node \"7\"");
  EXPECT_EQ(doc["batch_size"], 2);
  EXPECT_EQ(doc["data_batch"][1]["seq"], 1);
  EXPECT_EQ(doc["submission_time"], 1767225600.25);
}

TEST(NodeSpillLine, RoundTripsAndRejectsDamage) {
  std::string text;
  encode_spill_line(text, "node\twith tab", 17, R"({"a":"x\ty"})");
  ASSERT_EQ(text.back(), '\n');
  const auto line = decode_spill_line(std::string_view(text).substr(0, text.size() - 1));
  ASSERT_TRUE(line);
  EXPECT_EQ(line->node_id, "node\twith tab");
  EXPECT_EQ(line->seq, 17);
  EXPECT_EQ(line->record, R"({"a":"x\ty"})");
  EXPECT_FALSE(decode_spill_line(R"("n"	x	{})"));
  EXPECT_FALSE(decode_spill_line(R"("n"	1	{"a":)"));
  EXPECT_FALSE(decode_spill_line("garbage"));
}

TEST(NodeSpillFile, ReadsBackInOrderAndEmptiesWhenDrained) {
  TempDir dir;
  SpillFile spill(dir.path());
  for (int i = 0; i < 100; ++i) spill.append("n", i, R"({"i":)" + std::to_string(i) + "}");
  EXPECT_EQ(spill.unread(), 100u);
  std::vector<SpillLine> out;
  EXPECT_EQ(spill.read(30, out), 30u);
  spill.append("n", 100, R"({"i":100})");  // appended while reading: still after the rest
  while (spill.unread()) spill.read(7, out);
  ASSERT_EQ(out.size(), 101u);
  for (int i = 0; i <= 100; ++i) EXPECT_EQ(out[static_cast<size_t>(i)].seq, i);
  EXPECT_EQ(std::filesystem::file_size(spill.path()), 0u);
}

TEST(NodeSpillFile, SurvivesReopenAndCutsATornLine) {
  TempDir dir;
  {
    SpillFile spill(dir.path());
    spill.append("n", 0, "{}");
    spill.append("n", 1, "{}");
  }
  {
    std::ofstream torn(dir.path() / "spill.jsonl", std::ios::app);
    torn << "\"n\"\t2\t{\"half";  // a crash mid-write
  }
  SpillFile spill(dir.path());
  EXPECT_EQ(spill.unread(), 2u);
  EXPECT_EQ(spill.damaged(), 1u);
  std::vector<SpillLine> out;
  spill.read(10, out);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[1].seq, 1);
}

TEST(NodeSpillFile, RewritePutsMemoryInFrontOfTheUnreadLines) {
  TempDir dir;
  {
    SpillFile spill(dir.path());
    for (int i = 0; i < 10; ++i) spill.append("n", i, "{}");
    std::vector<SpillLine> taken;
    spill.read(4, taken);  // 0..3 now "in memory"
    spill.rewrite_with_front(taken);
    EXPECT_EQ(spill.unread(), 10u);
  }
  SpillFile spill(dir.path());
  std::vector<std::int64_t> seqs;
  spill.scan([&](const SpillLine& l) { seqs.push_back(l.seq); });
  EXPECT_EQ(seqs, testing::iota_seqs(0, 10));
}

TEST(NodeSpillFile, OneOwnerAtATime) {
  TempDir dir;
  SpillFile first(dir.path());
  EXPECT_THROW(SpillFile second(dir.path()), std::runtime_error);
}

TEST(NodeSeqStore, SavesAndLoads) {
  TempDir dir;
  const auto file = dir.path() / "state.json";
  std::string warning;
  EXPECT_TRUE(load_seq_state(file, &warning).empty());
  save_seq_state(file, {{"a", 5}, {"b", 10'000}});
  EXPECT_EQ(load_seq_state(file, &warning), (SeqMap{{"a", 5}, {"b", 10'000}}));
  std::ofstream(file) << "{broken";
  EXPECT_TRUE(load_seq_state(file, &warning).empty());
  EXPECT_NE(warning.find("damaged"), std::string::npos);
}

}  // namespace
}  // namespace nebula::node
