// NDJSON: one record per line; an entry's index is its line number.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "ingest_test_util.hpp"

namespace nebula::host {
namespace {

using namespace test;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::StartsWith;
using json = nlohmann::json;

TEST(DecodeNdjson, BlankLinesSkippedBadLinesIndexedByLineNumber) {
  const std::string text =
      "{\"timestamp\":1,\"node_id\":\"a\",\"network.peer_count\":1}\n"  // line 0
      "\n"                                                            // line 1
      "   \t\r\n"                                                     // line 2
      "{\"timestamp\":2,\"node_id\":\"a\",\"network\":{\"peer_count\":\n"   // line 3: cut short
      "{\"timestamp\":3,\"node_id\":\"b\",\"network\":{\"peer_count\":-3}}\r\n"  // line 4
      "{\"timestamp\":4,\"node_id\":\"c\",\"seq\":9}\r\n";             // line 5, CRLF
  auto r = decode_lines(text);
  EXPECT_FALSE(r.payload_error);
  ASSERT_EQ(r.records.size(), 2u);
  EXPECT_EQ(r.records[0].node_id, "a");
  EXPECT_EQ(r.records[0].peer_count, 1);
  EXPECT_EQ(r.records[1].node_id, "c");
  EXPECT_EQ(r.records[1].seq, 9);
  ASSERT_EQ(r.errors.size(), 2u);
  EXPECT_EQ(r.errors[0].index, 3);
  EXPECT_EQ(r.errors[0].field, "");
  EXPECT_THAT(r.errors[0].reason, StartsWith("malformed JSON at byte "));
  EXPECT_EQ(r.errors[1], err(4, "network.peer_count", "must be a non-negative integer"));
  EXPECT_EQ(r.rejected, 2u);
  EXPECT_EQ(error_body(r)["status"], "partial");
}

TEST(DecodeNdjson, LastLineWithoutNewline) {
  auto r = decode_lines("{\"timestamp\":1,\"node_id\":\"a\"}\n{\"timestamp\":2,\"node_id\":\"b\"}");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r.records.size(), 2u);
  EXPECT_EQ(r.records[1].node_id, "b");
}

TEST(DecodeNdjson, NoBatchNodeIdToInherit) {
  auto r = decode_lines("{\"timestamp\":1}\n");
  EXPECT_THAT(r.errors, ElementsAre(err(0, "node_id", "is required")));
}

TEST(DecodeNdjson, NonObjectLine) {
  auto r = decode_lines("[1]\n{\"timestamp\":1,\"node_id\":\"a\"}\n");
  EXPECT_THAT(r.errors, ElementsAre(err(0, "", "must be an object")));
  EXPECT_EQ(r.records.size(), 1u);
}

TEST(DecodeNdjson, NothingButBlankLinesIsAPayloadError) {
  auto r = decode_lines("\n  \n");
  EXPECT_TRUE(r.payload_error);
  EXPECT_THAT(r.errors, ElementsAre(err(-1, "", "payload holds no records")));
  EXPECT_TRUE(decode_lines("").payload_error);
}

TEST(DecodeNdjson, TooManyLinesRefusesEverything) {
  DecodeLimits l = limits();
  l.max_records = 2;
  auto r = decode_lines("{\"timestamp\":-1}\n\n{\"timestamp\":1,\"node_id\":\"a\"}\n{\"timestamp\":1,\"node_id\":\"a\"}\n", l);
  EXPECT_TRUE(r.payload_error);
  EXPECT_THAT(r.records, IsEmpty());
  EXPECT_THAT(r.errors, ElementsAre(err(-1, "", "more than the limit of 2 records")));
}


// The write-ahead log stores a record's source line instead of encoding it
// again (runtime/wal_payload.hpp): a line is its record's source only when
// it decodes to that record with nothing but itself.
TEST(DecodeNdjson, SourcesAreTheLinesThatDecodeAloneToTheirRecords) {
  const std::string lines[] = {
      "\xEF\xBB\xBF{\"timestamp\":1,\"node_id\":\"a\",\"network.peer_count\":1}",                     // byte order mark
      R"({"node_id":"b","timestamp":2,"node_id":"b2","big":123456789012345678901234567890,"seq":3})",  // repeated key, wider than 64 bits
      R"(  {"blockchain":{"current_height":4,"x":{"y":null}},"timestamp":3.5e0,"node_id":"c"}  )",
      R"({"node_data":{"node_id":"d","transactions_seen":5},"timestamp":4})",
  };
  std::string text;
  for (const auto& line : lines) text += line + "\n\n";
  text += R"({"timestamp":5,"node_id":"e","network":{"peer_count":-1}})" "\n";  // rejected: no source
  text += R"({"timestamp":6,"network":{"peer_count":2}})" "\n";                 // its node is the sender's
  const Sender sender{"s1", "127.0.0.1:9"};
  DecodeLimits l = limits();
  const auto r = decode_ndjson(text, l, &sender);
  ASSERT_EQ(r.records.size(), 5u);
  ASSERT_EQ(r.sources.size(), 5u);
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(r.sources[i], lines[i]);
    const auto alone = decode_ndjson(r.sources[i], l);
    ASSERT_EQ(alone.records.size(), 1u) << lines[i];
    EXPECT_EQ(alone.records[0], r.records[i]) << lines[i];
  }
  EXPECT_EQ(r.records[4].node_id, "s1");
  EXPECT_EQ(r.sources[4], "");
  EXPECT_THAT(decode_lines("{}\n").sources, IsEmpty());
  EXPECT_THAT(decode(R"({"node_id":"a","data_batch":[{"timestamp":1}]})").sources, IsEmpty())
      << "entries of a JSON document have no line of their own";
}

TEST(DecodeNdjson, TheUsualAcceptedAnswerIsWhatTheDocumentWouldSay) {
  auto by_document = [](const DecodeResult& r, uint32_t accepted, size_t duplicates, int64_t last_seq) {
    json answer = error_body(r);
    answer["status"] = r.rejected ? "partial" : "accepted";
    answer["accepted"] = accepted;
    if (duplicates) answer["duplicates"] = duplicates;
    answer["last_seq"] = last_seq;
    return answer.dump();
  };
  const auto clean = decode_lines("{\"timestamp\":1,\"node_id\":\"a\",\"seq\":4,\"network.peer_count\":1}\n");
  EXPECT_EQ(accepted_body(clean, 1, 0, 4), by_document(clean, 1, 0, 4));
  EXPECT_EQ(accepted_body(clean, 3, 2, -1), by_document(clean, 3, 2, -1));
  const auto partial = decode_lines("{\"timestamp\":1,\"node_id\":\"a\"}\n{}\n");  // a warning and an error
  EXPECT_EQ(accepted_body(partial, 1, 0, -1), by_document(partial, 1, 0, -1));
  EXPECT_EQ(json::parse(accepted_body(partial, 1, 0, -1))["status"], "partial");
}

}  // namespace
}  // namespace nebula::host
