// What the write-ahead log stores for a payload: the sender's own NDJSON
// lines where they decode back to the same records by themselves, the
// canonical encoding where they do not (a record named by its sender), and
// either way a frame that decodes to exactly the records the pool took.
#include <gtest/gtest.h>

#include "ingest/record_decoder.hpp"
#include "ingest/record_encoder.hpp"
#include "nebula_test/wait.hpp"
#include "runtime/wal_payload.hpp"
#include "runtime_harness.hpp"
#include "wal/write_ahead_log.hpp"

using nebula::host::decode_ndjson;
using nebula::host::decode_wal_payload;
using nebula::host::encode_record_json;
using nebula::host::encode_wal_payload;
using nebula::host::Record;
using nebula::host::Sender;
using nebula_test::wait_until;

namespace {

// Not canonical (spaces, keys out of order, a dotted key, an alias of the
// single-contribution shape, unknown fields), but naming their own node.
const std::string kOwnLines[] = {
    R"({ "timestamp": 1767225600, "seq": 1, "node_id": "n1", "network.peer_count": 7, "blockchain": {"current_height": 5} })",
    R"({"node_data":{"node_id":"n2","peer_count":3,"network_latency":12.5},"timestamp":1767225601,"data_type":"node_contribution"})",
    R"({"zeta":[1,{"b":2,"a":1}],"node_id":"n3","timestamp":1767225602,"seq":9,"performance":{"cpu_usage":1e1,"fan":"on"}})",
};
// Names no node: the sender's node id is filled in, which the line alone does not say.
const std::string kSenderLine = R"({"timestamp":1767225603,"seq":2,"network":{"peer_count":1}})";

std::string ndjson_payload() {
  std::string text;
  for (const auto& line : kOwnLines) text += line + "\n";
  return text + "\n" + kSenderLine + "\r\n";
}

}  // namespace

TEST(WalPayload, TheSendersOwnLinesAreStoredAsTheyCameAndDecodeToTheSameRecords) {
  const std::string text = ndjson_payload();
  const Sender sender{"from-auth", "127.0.0.1:5555"};
  const auto decoded = decode_ndjson(text, {}, &sender);
  ASSERT_TRUE(decoded.ok());
  ASSERT_EQ(decoded.records.size(), 4u);
  ASSERT_EQ(decoded.sources.size(), 4u);
  for (size_t i = 0; i < 3; ++i) EXPECT_EQ(decoded.sources[i], kOwnLines[i]);
  EXPECT_EQ(decoded.sources[3], "") << "its node id came from the sender, not from its bytes";
  EXPECT_EQ(decoded.records[3].node_id, "from-auth");

  const auto logged = nebula::host::wal_lines(decoded.records, decoded.sources);
  ASSERT_EQ(logged.lines.size(), 4u);
  EXPECT_EQ(logged.encoded.size(), 1u) << "only the record its line does not describe is encoded again";
  EXPECT_EQ(logged.lines[3], encode_record_json(decoded.records[3]));

  const std::string bytes = encode_wal_payload("tcp_in", "", logged.lines, "origin-1");
  for (const auto& line : kOwnLines) EXPECT_NE(bytes.find(line + "\n"), std::string::npos) << line;
  const auto payload = decode_wal_payload(bytes);
  EXPECT_EQ(payload.source, "tcp_in");
  EXPECT_EQ(payload.origin, "origin-1");
  EXPECT_EQ(payload.records, decoded.records);
}

TEST(WalPayload, RecordsWithoutSourcesAndLogsOfCanonicalLinesOnlyStillDecodeEqual) {
  // What the pool wrote before it kept senders' lines (and still writes for
  // JSON documents, whose entries have no line of their own).
  const auto decoded = decode_ndjson(ndjson_payload(), {}, nullptr);
  ASSERT_EQ(decoded.records.size(), 3u) << "without a sender the last line names no node";
  std::vector<const Record*> records;
  for (const auto& r : decoded.records) records.push_back(&r);
  const std::string canonical = encode_wal_payload("feed", "count", records);
  const auto logged = nebula::host::wal_lines(decoded.records, {});
  EXPECT_EQ(logged.encoded.size(), 3u);
  EXPECT_EQ(encode_wal_payload("feed", "count", logged.lines), canonical);
  const auto payload = decode_wal_payload(canonical);
  EXPECT_EQ(payload.target, "count");
  EXPECT_EQ(payload.records, decoded.records);
}

TEST(WalPayload, LinesBeyondTheSizeBoundAreStoredReEncoded) {
  // Mostly padding: the log keeps the record, not the bytes around it.
  const std::string padded = R"({"node_id":"n1","timestamp":1767225600,)" + std::string(20000, ' ') +
                             R"("network":{"peer_count":2}})";
  const auto decoded = decode_ndjson(padded);
  ASSERT_EQ(decoded.records.size(), 1u);
  EXPECT_EQ(decoded.sources.at(0), "");
  const auto logged = nebula::host::wal_lines(decoded.records, decoded.sources);
  EXPECT_EQ(decode_wal_payload(encode_wal_payload("feed", "", logged.lines)).records, decoded.records);
  EXPECT_LT(logged.lines.at(0).size(), 200u);
}

TEST(WalPayload, ThePoolLogsTheSendersLinesAndTheRecordItNamedCanonically) {
  nlohmann::json ndjson = ndjson_payload();
  RuntimeHarness h("wal: {enabled: true, fsync: always}\npool: {batch_max_records: 10, batch_max_wait_ms: 10}",
                   "  - id: feed\n    plugin: nebula.test.fake_transport\n    config: {repeat: 1, sender: from-auth, "
                   "ndjson: " + ndjson.dump() + "}\n"
                   "  - {id: count, plugin: nebula.test.counting, inputs: [feed]}\n");
  h.start();
  ASSERT_TRUE(wait_until([&] { return h.stats()["pool"]["records_processed"] == 4; })) << h.stats().dump();
  h.runtime->shutdown();

  std::vector<std::string> frames;
  nebula::wal::WalOptions options;
  options.dir = h.dir.path() / "state" / "wal";
  nebula::wal::WriteAheadLog log(options);
  log.replay([&](uint64_t, uint32_t count, std::string_view bytes, bool) {
    EXPECT_EQ(count, 4u);
    frames.emplace_back(bytes);
  });
  ASSERT_EQ(frames.size(), 1u);
  for (const auto& line : kOwnLines) EXPECT_NE(frames[0].find(line + "\n"), std::string::npos) << line;
  const Sender sender{"from-auth", "fake"};
  EXPECT_EQ(decode_wal_payload(frames[0]).records, decode_ndjson(ndjson_payload(), {}, &sender).records);
}
