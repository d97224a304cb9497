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

}  // namespace
}  // namespace nebula::host
