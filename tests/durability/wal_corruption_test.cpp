// A damaged write-ahead log: a bit flipped inside one frame and a torn last
// write. The host starts anyway, reports the damage, and every intact record
// is processed; only the two damaged payloads are gone.
#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>

#include "durability_support.hpp"

using namespace durability;
using nebula_test::wait_until;

namespace {

std::string pipeline(int counting_delay_ms) {
  return "  - {id: http_in, plugin: nebula.transport.http, config: {port: 0}}\n"
         "  - {id: ledger, plugin: nebula.test.ledger, inputs: [http_in]}\n"
         "  - {id: slow, plugin: nebula.test.counting, inputs: [http_in], config: {delay_ms: " +
         std::to_string(counting_delay_ms) + "}}\n";
}

std::filesystem::path only_segment_with(const std::filesystem::path& wal_dir, const std::string& needle,
                                        std::string& bytes) {
  for (const auto& e : std::filesystem::directory_iterator(wal_dir)) {
    if (e.path().extension() != ".wal") continue;
    std::ifstream in(e.path(), std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
    if (bytes.find(needle) != std::string::npos) return e.path();
  }
  return {};
}

}  // namespace

TEST(WalCorruption, FlippedByteAndTornTailLoseOnlyTheDamagedPayloads) {
  PoolProcess pool("");
  // The slow stage holds the first batch, so nothing after it is committed
  // when the host is killed: every payload is still in the log.
  write_pipeline(pool, "pool: {batch_max_records: 10, batch_max_wait_ms: 10}\n", pipeline(60000));
  ASSERT_TRUE(pool.start()) << pool.log();
  const unsigned short port = pool.endpoints["transports"]["http_in"]["port"].get<unsigned short>();
  constexpr int kPayloads = 12, kPerPayload = 10;
  for (int p = 0; p < kPayloads; ++p) {
    const std::string node = p == 5 ? "victim-node" : "node-" + std::to_string(p);
    auto r = post(port, batch(node, 0, kPerPayload));
    ASSERT_EQ(r.status, 200) << r.body;
  }
  pool.process->signal(SIGKILL);
  ASSERT_TRUE(pool.process->wait_exit(std::chrono::seconds(10)).has_value());

  std::string bytes;
  const auto segment = only_segment_with(pool.dir / "state/wal", "victim-node", bytes);
  ASSERT_FALSE(segment.empty());
  {
    std::fstream f(segment, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(bytes.find("victim-node") + 3));
    f.put('#');
  }
  std::filesystem::resize_file(segment, bytes.size() - 7);  // the last payload's frame is torn

  write_pipeline(pool, "pool: {batch_max_records: 10, batch_max_wait_ms: 10}\n", pipeline(0));
  ASSERT_TRUE(pool.start()) << pool.log();
  EXPECT_EQ(nebula_test::http_get(pool.admin_port, "/readyz").status, 200);
  const auto ledger_file = pool.dir / "state/components/ledger/ledger.txt";
  const size_t expected = size_t((kPayloads - 2) * kPerPayload);
  ASSERT_TRUE(wait_until([&] { return read_ledger(ledger_file).size() >= expected; })) << pool.log();

  const Ledger ledger = read_ledger(ledger_file);
  EXPECT_EQ(ledger.size(), expected);
  for (const auto& [key, times] : ledger) {
    EXPECT_EQ(times, 1) << key.first << " " << key.second;
    EXPECT_NE(key.first, "victim-node");
    EXPECT_NE(key.first, "node-" + std::to_string(kPayloads - 1));
  }
  auto s = stats(pool);
  EXPECT_EQ(s["wal"]["recovered"]["damaged_regions"].get<int>(), 2) << s.dump();
  EXPECT_GT(s["wal"]["recovered"]["damaged_bytes"].get<int>(), 0);
  const std::string metrics = nebula_test::http_get(pool.admin_port, "/metrics").body;
  const size_t at = metrics.find("\nnebula_wal_damaged_regions_total");
  ASSERT_NE(at, std::string::npos) << metrics;
  const std::string line = metrics.substr(at + 1, metrics.find('\n', at + 1) - at - 1);
  EXPECT_EQ(line.substr(line.rfind(' ') + 1), "2") << line;
  EXPECT_NE(pool.log().find("damaged byte(s)"), std::string::npos);

  // Still serving: new records are accepted and processed.
  const unsigned short new_port = pool.endpoints["transports"]["http_in"]["port"].get<unsigned short>();
  EXPECT_EQ(post(new_port, batch("after-restart", 0, 3)).status, 200);
  EXPECT_TRUE(wait_until([&] { return read_ledger(ledger_file).count({"after-restart", 2}) == 1; }));
}
