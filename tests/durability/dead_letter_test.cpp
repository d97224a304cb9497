// Records a processor rejects for good land in the dead-letter file with the
// reason; `nebula-pool dead-letters list` shows them and, once the processor
// is fixed, `nebula-pool dead-letters replay` brings them back to it alone.
#include <gtest/gtest.h>
#include <signal.h>

#include "durability_support.hpp"

using namespace durability;
using nebula_test::wait_until;

namespace {

std::string components(int reject_multiple) {
  return "  - {id: http_in, plugin: nebula.transport.http, config: {port: 0}}\n"
         "  - {id: ledger, plugin: nebula.test.ledger, inputs: [http_in], config: {reject_seq_multiple: " +
         std::to_string(reject_multiple) + "}}\n"
         "  - {id: count, plugin: nebula.test.counting, inputs: [http_in]}\n";
}

}  // namespace

TEST(DeadLetters, RejectedRecordsAreListedAndReplayedToTheirProcessor) {
  PoolProcess pool("");
  write_pipeline(pool, "pool: {batch_max_records: 100, batch_max_wait_ms: 10}\n", components(5));
  ASSERT_TRUE(pool.start()) << pool.log();
  unsigned short port = pool.endpoints["transports"]["http_in"]["port"].get<unsigned short>();
  ASSERT_EQ(post(port, batch("n1", 0, 20)).status, 200);
  const auto ledger_file = pool.dir / "state/components/ledger/ledger.txt";
  ASSERT_TRUE(wait_until([&] { return read_ledger(ledger_file).size() == 16; })) << pool.log();

  const std::string cli = std::string(NEBULA_POOL_BIN) + " dead-letters ";
  auto [code, out] = nebula_test::run_and_capture(cli + "list --json -c " + pool.yaml().string());
  ASSERT_EQ(code, 0) << out;
  auto listed = nlohmann::json::parse(out.substr(out.find('{')));
  ASSERT_EQ(listed["count"].get<int>(), 4) << out;
  std::set<int64_t> seqs;
  for (const auto& l : listed["dead_letters"]) {
    EXPECT_EQ(l["component"], "ledger");
    EXPECT_NE(l["reason"].get<std::string>().find("multiple of 5"), std::string::npos);
    seqs.insert(l["record"]["seq"].get<int64_t>());
  }
  EXPECT_EQ(seqs, (std::set<int64_t>{0, 5, 10, 15}));

  // The operator fixes the processor and replays: only `ledger` gets them.
  pool.process->signal(SIGTERM);
  ASSERT_EQ(pool.process->wait_exit(std::chrono::seconds(30)).value_or(-1), 0) << pool.log();
  write_pipeline(pool, "pool: {batch_max_records: 100, batch_max_wait_ms: 10}\n", components(0));
  ASSERT_TRUE(pool.start()) << pool.log();
  const double counted_before = [&] {
    auto s = stats(pool);
    return s["pool"]["records_processed"].get<double>();
  }();
  auto [replay_code, replay_out] = nebula_test::run_and_capture(cli + "replay -c " + pool.yaml().string());
  ASSERT_EQ(replay_code, 0) << replay_out;
  EXPECT_NE(replay_out.find("\"replayed\":4"), std::string::npos) << replay_out;
  ASSERT_TRUE(wait_until([&] { return read_ledger(ledger_file).size() == 20; })) << pool.log();
  for (const auto& [key, times] : read_ledger(ledger_file)) EXPECT_EQ(times, 1) << key.second;
  EXPECT_EQ(stats(pool)["pool"]["records_processed"].get<double>(), counted_before + 4);

  auto [after_code, after_out] = nebula_test::run_and_capture(cli + "list --json -c " + pool.yaml().string());
  EXPECT_EQ(nlohmann::json::parse(after_out.substr(after_out.find('{')))["count"].get<int>(), 0) << after_out;
  pool.process->signal(SIGTERM);
  EXPECT_EQ(pool.process->wait_exit(std::chrono::seconds(30)).value_or(-1), 0) << pool.log();
}
