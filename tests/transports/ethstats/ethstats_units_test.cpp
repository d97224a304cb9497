// The pure parts of the ethstats transport: the message decoder (geth's
// frames and what other clients send), the frames the server writes, the
// chain a node belongs to, and the record mapper's bookkeeping.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "ethstats_config.hpp"
#include "ethstats_message.hpp"
#include "node_records.hpp"

namespace nebula::transport::ethstats {
namespace {

using json = nlohmann::json;

TEST(EthstatsDecoder, ReadsGethsFrames) {
  auto hello = decode_message(
      R"({"emit":["hello",{"id":"n1","info":{"name":"n1","node":"Geth/v1.14","port":30303,"net":"1","protocol":"eth/68","api":"No","os":"linux","os_v":"amd64","client":"0.1.1","canUpdateHistory":true},"secret":"s"}]})");
  ASSERT_TRUE(hello.message) << hello.reason;
  EXPECT_EQ(hello.message->emit, Emit::hello);
  EXPECT_EQ(hello.message->hello.id, "n1");
  EXPECT_EQ(hello.message->hello.secret, "s");
  EXPECT_EQ(hello.message->hello.net, "1");
  EXPECT_EQ(hello.message->hello.protocol, "eth/68");

  auto block = decode_message(
      R"({"emit":["block",{"id":"n1","block":{"number":19000000,"hash":"0xab","parentHash":"0xaa","timestamp":1765000000,"gasUsed":100,"gasLimit":400,"transactions":[{"hash":"0x1"},{"hash":"0x2"}],"uncles":[]}}]})");
  ASSERT_TRUE(block.message) << block.reason;
  EXPECT_EQ(block.message->block.number, 19000000);
  EXPECT_EQ(block.message->block.transactions, 2);
  EXPECT_EQ(block.message->block.gas_limit, 400.0);

  auto latency = decode_message(R"({"emit":["latency",{"id":"n1","latency":"25"}]})");  // geth: a string
  ASSERT_TRUE(latency.message);
  EXPECT_EQ(latency.message->latency_ms, 25.0);

  auto stats = decode_message(R"({"emit":["stats",{"id":"n1","stats":{"active":true,"syncing":false,"peers":3,"gasPrice":7,"uptime":100}}]})");
  ASSERT_TRUE(stats.message);
  EXPECT_EQ(stats.message->stats.peers, 3);
  EXPECT_FALSE(stats.message->stats.mining);  // newer geth leaves it out
}

TEST(EthstatsDecoder, NumbersAsDecimalOrHexStrings) {
  auto block = decode_message(R"({"emit":["block",{"block":{"number":"0x10","timestamp":"1765000000"}}]})");
  ASSERT_TRUE(block.message) << block.reason;
  EXPECT_EQ(block.message->block.number, 16);
  EXPECT_EQ(block.message->block.timestamp, 1765000000);
  EXPECT_FALSE(block.message->block.transactions);
}

TEST(EthstatsDecoder, SaysWhatIsWrong) {
  EXPECT_EQ(decode_message("[1,2]").reason, R"(expected {"emit":["<name>",{...}]})");
  EXPECT_EQ(decode_message(R"({"emit":["ready"]})").reason, "unknown emit 'ready'");
  EXPECT_EQ(decode_message(R"({"emit":["block"]})").reason, "emit 'block' needs one object argument");
  EXPECT_EQ(decode_message(R"({"emit":["block",{"block":{"number":1.5,"timestamp":1}}]})").reason,
            "block.block.number must be a whole number up to 2^53");
  EXPECT_EQ(decode_message(R"({"emit":["history",{"history":[{"number":1}]}]})").reason,
            "history.history[0].timestamp must be a non-negative number");
  EXPECT_EQ(decode_message(R"("hello")").reason, "a string frame must be a primus::ping");
  EXPECT_EQ(decode_message(R"({"emit":["x"]})").problem, Problem::unknown_emit);
}

TEST(EthstatsFrames, AnswersAreWhatGethReads) {
  EXPECT_EQ(ready_frame(), R"({"emit":["ready"]})");
  auto pong = json::parse(pong_frame("2026-01-01 00:00:00 +0000 UTC", 1765000000123));
  EXPECT_EQ(pong, json::parse(R"({"emit":["node-pong",{"clientTime":"2026-01-01 00:00:00 +0000 UTC","serverTime":1765000000123}]})"));
  EXPECT_EQ(primus_pong_frame("42"), R"("primus::pong::42")");
}

TEST(EthstatsConfig, ChainOfANode) {
  ConfigErrors errors;
  auto cfg = read_server_config({{"networks", {{"1", "mainnet"}}}, {"node_chains", {{"special", "custom"}}}}, errors);
  ASSERT_TRUE(errors.empty()) << errors.text();
  EXPECT_EQ(chain_of(cfg, "special", "1"), "custom");
  EXPECT_EQ(chain_of(cfg, "n", "1"), "mainnet");
  EXPECT_EQ(chain_of(cfg, "n", "5"), "ethereum-5");
  EXPECT_EQ(chain_of(cfg, "n", ""), "ethereum");
  cfg.chain_id = "fallback";
  EXPECT_EQ(chain_of(cfg, "n", "5"), "fallback");
}

Message block_message(int64_t number, int64_t ts, int64_t txs, const std::string& hash) {
  Message m;
  m.emit = Emit::block;
  m.block.number = number;
  m.block.timestamp = ts;
  m.block.transactions = txs;
  m.block.hash = hash;
  return m;
}

TEST(EthstatsRecords, PropagationIsMeasuredFromTheFirstReporterOfTheChain) {
  RecordMapper mapper(10);
  NodeIdentity a{"a", "chain", "full", "", "", ""}, b{"b", "chain", "full", "", "", ""};
  auto first = json::parse(mapper.map(a, block_message(5, 100, 1, "0x5"), 1000.0).ndjson);
  auto second = json::parse(mapper.map(b, block_message(5, 100, 1, "0x5"), 1000.25).ndjson);
  EXPECT_EQ(first["ethstats"]["propagation_ms"], 0.0);
  EXPECT_EQ(second["ethstats"]["propagation_ms"], 250.0);
}

TEST(EthstatsRecords, RepeatsAndReorgsAreNotCountedAsNewBlocks) {
  RecordMapper mapper(10);
  NodeIdentity n{"n", "chain", "full", "", "", ""};
  mapper.map(n, block_message(10, 100, 3, "0xa"), 1.0);
  auto same = json::parse(mapper.map(n, block_message(10, 100, 3, "0xb"), 2.0).ndjson);
  EXPECT_EQ(same["blockchain"]["blocks_processed_last_interval"], 0);
  EXPECT_EQ(same["blockchain"]["transaction_count"], 3);
  auto lower = json::parse(mapper.map(n, block_message(9, 99, 4, "0xc"), 3.0).ndjson);
  EXPECT_EQ(lower["blockchain"]["current_height"], 9);
  EXPECT_EQ(lower["blockchain"]["transaction_count"], 3);
}

TEST(EthstatsRecords, APendingCountAloneWaitsForTheNextRecord) {
  RecordMapper mapper(10);
  NodeIdentity n{"n", "chain", "full", "", "", ""};
  Message pending;
  pending.emit = Emit::pending;
  pending.pending = 12;
  auto out = mapper.map(n, pending, 1.0);
  EXPECT_EQ(out.records, 0u);  // nothing canonical known yet
  auto next = json::parse(mapper.map(n, block_message(1, 1, 0, "0x1"), 2.0).ndjson);
  EXPECT_EQ(next["economics"]["mempool_pending"], 12);
}

}  // namespace
}  // namespace nebula::transport::ethstats
