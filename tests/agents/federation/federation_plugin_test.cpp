// Federated averaging through the real agent .so files (SDK MockHost): two
// hosts, each training on its own half of a simulated fleet, averaging
// through a shared directory. Fixed seeds; assertions are margins.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <map>

#include <nebula_test/temp_dir.hpp>

#include "agent_plugin_checks.hpp"
#include "sharded_fleet.hpp"

namespace {

using namespace nebula::agents::testing;
using nebula::testing::MockHost;
using nebula::testing::PluginLibrary;

struct AgentKind {
  const char* name;  // also the federation sub-folder
  std::vector<const char*> topics;
};

// Libraries stay loaded for the whole run, as the host keeps them (libtorch does not survive dlclose).
const nebula_plugin_descriptor* descriptor(const std::string& name) {
  static std::map<std::string, PluginLibrary*> libs;
  auto& lib = libs[name];
  if (!lib) lib = new PluginLibrary(std::string(NEBULA_PLUGIN_DIR) + "/libnebula_agent_" + name + ".so");
  return lib->find("nebula.agent." + name);
}

// Manual rounds ({"action":"federate"}), merged on the learn() after publishing.
nlohmann::json federated(const std::filesystem::path& dir, const std::string& member, nlohmann::json cfg = {}) {
  if (cfg.is_null()) cfg = nlohmann::json::object();
  cfg["federation"] = {{"dir", dir.string()}, {"member", member}, {"every_s", 0}, {"settle_s", 0}, {"max_age_s", 600}};
  return cfg;
}

// One host's agent: its own MockHost (logs), batches of 20 insights as the host hands them out.
struct HostAgent {
  HostAgent(const AgentKind& kind, const nlohmann::json& cfg)
      : topics(kind.topics), inst(host.create(descriptor(kind.name), cfg.dump())) {}

  void add(const std::vector<TopicDoc>& docs) {
    for (const auto& [topic, doc] : docs)
      for (const char* t : topics)
        if (topic == t) {
          pending.push_back({topic, doc.dump()});
          if (pending.size() == 20) flush();
        }
  }
  void flush() {
    if (!pending.empty()) learn(pending);
    pending.clear();
  }
  void learn(const std::vector<EmittedInsight>& batch = {}) { ASSERT_EQ(inst.learn(batch), NEBULA_OK) << inst.last_error(); }
  void request_round() { EXPECT_EQ(inst.query({{"action", "federate"}})["scheduled"], true); }
  nlohmann::json federation() { return inst.stats()["federation"]; }
  bool logged(nebula_log_level level, const std::string& text) const {
    for (const auto& l : host.logs())
      if (l.level == level && l.message.find(text) != std::string::npos) return true;
    return false;
  }

  std::vector<const char*> topics;
  MockHost host;
  nebula::testing::Instance inst;
  std::vector<EmittedInsight> pending;
};

// Both publish, then both merge: what an orchestrated round (or two hosts
// rounding at the same wall-clock boundary) does.
void publish_all(std::initializer_list<HostAgent*> agents) {
  for (auto* a : agents) a->flush(), a->request_round();
  for (auto* a : agents) a->learn();
}
void merge_all(std::initializer_list<HostAgent*> agents) {
  for (auto* a : agents) a->learn();
}

const AgentKind kArchivist{"archivist", {"learning", "blockchain"}};

class EveryAgent : public ::testing::TestWithParam<AgentKind> {};

TEST_P(EveryAgent, TwoHostsOnDifferentHalvesEndWithIdenticalParameters) {
  nebula_test::TempDir dir{"nebula-fedplug"};
  ShardedFleet fleet(small_fleet(5), 2);
  HostAgent a(GetParam(), federated(dir.path(), "a")), b(GetParam(), federated(dir.path(), "b"));
  for (int i = 0; i < 120; ++i) {
    const auto s = fleet.step();
    a.add(s.shards[0]);
    b.add(s.shards[1]);
  }
  publish_all({&a, &b});
  EXPECT_TRUE(std::filesystem::exists(dir.path() / GetParam().name / "a.params"));
  EXPECT_TRUE(a.federation()["params_crc32"].is_null());  // published, not merged yet
  const auto eval = evaluation_docs(77, 10);
  const double before_a = evaluate(a.inst, eval);
  merge_all({&a, &b});
  const auto fa = a.federation(), fb = b.federation();
  EXPECT_EQ(fa["rounds"], 1);
  EXPECT_EQ(fa["members_merged"], 2);
  EXPECT_TRUE(fa["last_round_unix"].is_number());
  ASSERT_TRUE(fa["params_crc32"].is_number());
  EXPECT_EQ(fa["params_crc32"], fb["params_crc32"]) << "identical parameters on both hosts";
  const auto sa = a.inst.stats();
  EXPECT_EQ(sa["version"], 2);
  EXPECT_EQ(sa["lineage"].back()["origin"], "federated average of 2 members");
  EXPECT_EQ(sa["lineage"].back()["parent"], 1);
  EXPECT_TRUE(a.logged(NEBULA_LOG_INFO, "federation: averaged 2 members"));
  EXPECT_NE(evaluate(a.inst, eval), before_a);
  // The Archivist's inputs are the examples alone: the same model answers the
  // same. (The others also feed per-node baselines, which stay on each host.)
  if (std::string(GetParam().name) == "archivist") {
    EXPECT_EQ(evaluate(a.inst, eval), evaluate(b.inst, eval));
  }

  // The round survives a checkpoint; learning goes on afterwards.
  MockHost other;
  auto restored = other.create(descriptor(GetParam().name), federated(dir.path(), "a").dump());
  ASSERT_EQ(restored.load(a.inst.save()), NEBULA_OK) << restored.last_error();
  EXPECT_EQ(restored.stats()["federation"]["rounds"], 1);
  EXPECT_EQ(restored.stats()["version"], 2);
  EXPECT_EQ(evaluate(restored, eval), evaluate(a.inst, eval));
  for (int i = 0; i < 40; ++i) a.add(fleet.step().shards[0]);
  a.flush();
  EXPECT_GT(a.inst.stats()["steps"].get<int>(), sa["steps"].get<int>());
}

INSTANTIATE_TEST_SUITE_P(Agents, EveryAgent,
                         ::testing::Values(kArchivist, AgentKind{"resonant", {"network", "learning"}},
                                           AgentKind{"analyst", {"patterns", "learning"}}),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(Federation, BadPeerFilesAreSkippedWithALogLineNeverACrash) {
  nebula_test::TempDir dir{"nebula-fedplug"};
  ShardedFleet fleet(small_fleet(6), 2);
  HostAgent a(kArchivist, federated(dir.path(), "a")), b(kArchivist, federated(dir.path(), "b"));
  // A host whose architecture search promoted another size, and one that went quiet.
  HostAgent wide(kArchivist, federated(dir.path(), "wide", {{"hidden", {8}}}));
  HostAgent quiet(kArchivist, federated(dir.path(), "quiet"));
  for (int i = 0; i < 60; ++i) {
    const auto s = fleet.step();
    for (auto* h : {&a, &wide}) h->add(s.shards[0]);
    for (auto* h : {&b, &quiet}) h->add(s.shards[1]);
  }
  publish_all({&a, &b, &wide, &quiet});
  const auto folder = dir.path() / "archivist";
  const auto stale = std::filesystem::file_time_type::clock::now() - std::chrono::seconds(3600);
  std::filesystem::last_write_time(folder / "quiet.params", stale);  // max_age_s is 600
  const std::string good = nebula_test::read_file(folder / "b.params");
  std::string flipped = good;
  flipped[good.size() / 3] ^= 0x20;
  dir.write("archivist/junk.params", "not a parameter file");
  dir.write("archivist/cut.params", good.substr(0, good.size() / 2));
  dir.write("archivist/flipped.params", flipped);
  merge_all({&a, &b, &wide});
  const auto f = a.federation();
  EXPECT_EQ(f["rounds"], 1);
  EXPECT_EQ(f["members_merged"], 2);
  EXPECT_EQ(f["last_members"], nlohmann::json::array({"a", "b"}));
  std::map<std::string, std::string> skipped;
  for (const auto& s : f["last_skipped"]) skipped[s["member"]] = s["reason"];
  ASSERT_EQ(skipped.size(), 5u) << f.dump();
  EXPECT_NE(skipped["wide"].find("architecture 13-8-2 differs"), std::string::npos) << skipped["wide"];
  EXPECT_NE(skipped["quiet"].find("stale"), std::string::npos) << skipped["quiet"];
  EXPECT_NE(skipped["junk"].find("bad magic"), std::string::npos) << skipped["junk"];
  EXPECT_NE(skipped["cut"].find("truncated"), std::string::npos) << skipped["cut"];
  EXPECT_NE(skipped["flipped"].find("checksum"), std::string::npos) << skipped["flipped"];
  EXPECT_TRUE(a.logged(NEBULA_LOG_WARN, "skipping member 'junk'"));
  EXPECT_TRUE(a.logged(NEBULA_LOG_WARN, "skipping member 'cut'"));
  EXPECT_TRUE(a.logged(NEBULA_LOG_INFO, "skipping member 'wide': architecture"));
  EXPECT_EQ(a.federation()["params_crc32"], b.federation()["params_crc32"]);
  // The odd one out merges nobody and carries on alone.
  EXPECT_EQ(wide.federation()["rounds"], 0);
  EXPECT_EQ(wide.inst.stats()["version"], 1);
  for (int i = 0; i < 30; ++i) {
    const auto s = fleet.step();
    a.add(s.shards[0]);
    wide.add(s.shards[0]);
  }
  a.flush();
  wide.flush();
  EXPECT_NO_THROW(a.inst.query({{"chain_id", "testnet"}}));
}

TEST(Federation, ConfigIsCheckedLikeEveryOtherAgentKey) {
  const auto* desc = descriptor("archivist");
  auto problems = [&](const nlohmann::json& cfg) {
    char err[1024] = {0};
    const auto st = desc->validate_config(cfg.dump().c_str(), err, sizeof err);
    return st == NEBULA_OK ? std::string() : std::string(err);
  };
  EXPECT_EQ(problems({{"federation", {{"dir", "/mnt/nebula-fed"}, {"member", "host-1"}}}}), "");
  EXPECT_EQ(problems({{"federation", {{"dir", "/mnt/f"}, {"member", "h"}, {"every_s", 0}}}}), "");
  EXPECT_NE(problems({{"federation", {{"dir", "/mnt/f"}}}}).find("/federation: needs 'member'"), std::string::npos);
  EXPECT_NE(problems({{"federation", {{"dir", "shared"}, {"member", "h"}}}}).find("/federation/dir: must be an absolute"),
            std::string::npos);
  EXPECT_NE(problems({{"federation", {{"dir", "/mnt/f"}, {"member", "../h"}}}}).find("/federation/member"),
            std::string::npos);
  EXPECT_NE(problems({{"federation", {{"dir", "/mnt/f"}, {"member", "h"}, {"evry_s", 60}}}}).find("unknown key 'evry_s'"),
            std::string::npos);
  EXPECT_NE(problems({{"federation", {{"dir", "/mnt/f"}, {"member", "h"}, {"every_s", 60}, {"settle_s", 60}}}})
                .find("/federation/settle_s: must be shorter than every_s"),
            std::string::npos);
  EXPECT_NE(problems({{"federation", {{"dir", "/mnt/f"}, {"member", "h"}, {"every_s", 60}, {"max_age_s", 5}}}})
                .find("/federation/max_age_s"),
            std::string::npos);
  EXPECT_NE(problems({{"federation", "/mnt/f"}}).find("/federation: must be an object"), std::string::npos);
  // Without the block, asking for a round is a clear error.
  MockHost host;
  auto inst = host.create(desc, "{}");
  EXPECT_EQ(inst.stats()["federation"]["enabled"], false);
  EXPECT_THROW(inst.query({{"action", "federate"}}), std::runtime_error);
}

// The measurement docs/agents.md reports: two hosts, each with half of the
// fleet, averaging every 5 simulated minutes for an hour, judged on the whole
// fleet's next 30 minutes (never learned from).
TEST(Federation, ArchivistAveragedModelOnTheWholeFleetVersusEachHalf) {
  constexpr int kHour = 720, kRoundEvery = 60;  // 5 s steps: a round per 5 minutes
  nebula_test::TempDir dir{"nebula-fedplug"};
  ShardedFleet fleet(small_fleet(7), 2);
  HostAgent a(kArchivist, federated(dir.path(), "a")), b(kArchivist, federated(dir.path(), "b"));
  HostAgent alone_a(kArchivist, nlohmann::json::object()), alone_b(kArchivist, nlohmann::json::object());
  for (int i = 1; i <= kHour; ++i) {
    const auto s = fleet.step();
    for (auto* h : {&a, &alone_a}) h->add(s.shards[0]);
    for (auto* h : {&b, &alone_b}) h->add(s.shards[1]);
    if (i % kRoundEvery == 0 && i < kHour) {
      publish_all({&a, &b});
      merge_all({&a, &b});
    }
  }
  nlohmann::json held_out = nlohmann::json::array();
  for (int i = 0; i < kHour / 2; ++i)
    for (auto& [topic, doc] : fleet.step().whole)
      if (topic == "learning") held_out.push_back(std::move(doc));

  auto judge = [&](HostAgent& h) { return h.inst.query({{"action", "evaluate"}, {"insights", held_out}}); };
  publish_all({&a, &b});  // the last round: the halves' models as they are now ...
  const auto half_a = judge(a), half_b = judge(b);
  const auto scales_before = a.inst.stats()["target_scales"];
  merge_all({&a, &b});    // ... and their average
  const auto averaged = judge(a), lone_a = judge(alone_a), lone_b = judge(alone_b);
  auto loss = [](const nlohmann::json& j) { return j["loss"].get<double>(); };
  auto mae = [](const nlohmann::json& j, const char* k) { return j["mae"][k].get<double>(); };
  std::printf("archivist, whole fleet's next 30 min (%d examples), %d rounds:\n", averaged["examples"].get<int>(),
              a.federation()["rounds"].get<int>());
  for (const auto& [what, j] : {std::pair<const char*, const nlohmann::json&>{"half a before averaging", half_a},
                                {"half b before averaging", half_b},
                                {"averaged", averaged},
                                {"half a never federated", lone_a},
                                {"half b never federated", lone_b}})
    std::printf("  %-24s loss %.4f  MAE blocks %.4f  transactions %.2f\n", what, loss(j), mae(j, "next_blocks"),
                mae(j, "next_transactions"));
  // Most of this loss is Poisson noise of block arrivals (see "Measured
  // quality"), which averaging cannot remove, so the claim is a margin: the
  // average is within 2 % of the better half, in loss and in counts, and in
  // counts (free of units) within 2 % of the better half trained alone.
  auto better = [](double x, double y) { return std::min(x, y); };
  EXPECT_LT(loss(averaged), 1.02 * better(loss(half_a), loss(half_b)));
  for (const char* k : {"next_blocks", "next_transactions"}) {
    EXPECT_LT(mae(averaged, k), 1.02 * better(mae(half_a, k), mae(half_b, k))) << k;
    EXPECT_LT(mae(averaged, k), 1.02 * better(mae(lone_a, k), mae(lone_b, k))) << k;
  }
  EXPECT_EQ(averaged, judge(b));
  EXPECT_EQ(a.federation()["params_crc32"], b.federation()["params_crc32"]);
  EXPECT_EQ(a.inst.stats()["target_scales"], b.inst.stats()["target_scales"]);
  // Losses of the federated models are in the same units (merged, frozen scales).
  EXPECT_EQ(a.inst.stats()["target_scales"], scales_before);
  EXPECT_EQ(a.federation()["rounds"].get<int>(), kHour / kRoundEvery);
}

}  // namespace
