// Two real nebula-pool processes, each with its own Archivist and its own
// nodes, federating through one directory on wall-clock rounds (every_s: 1):
// the YAML wiring, the host's log and the shared folder end to end.
#include <gtest/gtest.h>

#include <cstdio>

#include "nebula_test/http_client.hpp"
#include "node_feed.hpp"
#include "pool_harness.hpp"

using nebula_test::http_get;
using nebula_test::wait_until;

namespace {

constexpr int kStepsPerSend = 10;  // 80 records: 8 nodes x 10 steps

std::string components(const std::filesystem::path& shared, const std::string& member) {
  return kNodeFeedComponents +
         "  - id: archivist\n"
         "    plugin: nebula.agent.archivist\n"
         "    inputs: [learning]\n"
         "    config:\n"
         "      optimise_every: 0\n"
         "      federation:\n"
         "        dir: " + shared.string() + "\n"
         "        member: " + member + "\n"
         "        every_s: 1\n"
         "        settle_s: 0.4\n"
         "        max_age_s: 30\n";
}

struct Host {
  Host(const std::filesystem::path& shared, const std::string& member, int first_step)
      : pool(components(shared, member),
             "pool: {batch_max_records: 100, batch_max_wait_ms: 50}\n"
             "training: {batch_max_insights: 5, batch_max_wait_ms: 100}"),
        step(first_step) {
    only_in_tree_plugins(pool);  // this target does not build the test fixture plugins
  }
  bool start() {
    if (!pool.start()) return false;
    ingest = pool.endpoints["transports"]["http_in"]["port"].get<unsigned short>();
    return true;
  }
  void send() {
    send_node_records(ingest, step, kStepsPerSend);
    step += kStepsPerSend;
  }
  nlohmann::json stats() const {
    return nlohmann::json::parse(http_get(pool.admin_port, "/api/v1/agents/archivist").body)["stats"];
  }

  PoolProcess pool;
  unsigned short ingest = 0;
  int step;
};

}  // namespace

TEST(FederationHosts, TwoPoolProcessesAverageTheirArchivistsThroughASharedFolder) {
  nebula_test::TempDir shared{"nebula-fed-shared"};
  Host a(shared.path(), "host-a", 0), b(shared.path(), "host-b", 100000);
  ASSERT_TRUE(a.start()) << a.pool.log();
  ASSERT_TRUE(b.start()) << b.pool.log();
  // Rounds happen inside learn(): keep data flowing (each host its own steps,
  // so their models differ) until both hosts merged twice.
  auto last_send = std::chrono::steady_clock::now() - std::chrono::seconds(1);
  const bool merged = wait_until(
      [&] {
        if (std::chrono::steady_clock::now() - last_send > std::chrono::milliseconds(200)) {
          a.send();
          b.send();
          last_send = std::chrono::steady_clock::now();
        }
        const auto fa = a.stats()["federation"], fb = b.stats()["federation"];
        return fa["rounds"].get<int>() >= 2 && fb["rounds"].get<int>() >= 2;
      },
      std::chrono::seconds(120));
  const auto sa = a.stats(), sb = b.stats();
  ASSERT_TRUE(merged) << sa["federation"].dump() << "\n" << sb["federation"].dump() << "\n" << a.pool.log();
  EXPECT_EQ(sa["federation"]["last_members"], nlohmann::json::array({"host-a", "host-b"}));
  EXPECT_EQ(sb["federation"]["last_members"], nlohmann::json::array({"host-a", "host-b"}));
  EXPECT_TRUE(std::filesystem::exists(shared.path() / "archivist" / "host-a.params"));
  EXPECT_TRUE(std::filesystem::exists(shared.path() / "archivist" / "host-b.params"));
  bool noted = false;
  for (const auto& v : sa["lineage"]) noted = noted || v["origin"] == "federated average of 2 members";
  EXPECT_TRUE(noted) << sa["lineage"].dump();
  const std::string log = a.pool.log();
  const auto at = log.find("federation: averaged 2 members");
  ASSERT_NE(at, std::string::npos) << log;
  std::printf("host-a log: %s\n", log.substr(at, log.find('\n', at) - at).c_str());
}
