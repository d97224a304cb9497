// Pure pieces of the TCP transport: control lines, acks, batch conversion.
#include <gtest/gtest.h>

#include "batch_lines.hpp"
#include "tcp_client.hpp"
#include "tcp_wire.hpp"

namespace nebula::transport::tcp {
namespace {

TEST(TcpControlLines, RecordsAreNotControlLines) {
  EXPECT_FALSE(parse_control_line(R"({"node_id":"a","seq":1})"));
  EXPECT_FALSE(parse_control_line(R"({"chain_id":"nebula","note":"\"nebula\""})"));  // mentions it, not a key
  EXPECT_FALSE(parse_control_line("not json mentioning \"nebula\""));
}

TEST(TcpControlLines, TheKeyIsFoundAtEveryOffsetOfALongLine) {
  // The pre-filter looks at 16 positions at a time: the key may start at any
  // of them, or in the tail after the last whole block.
  for (size_t pad = 0; pad < 48; ++pad) {
    const std::string head = R"({"note":")" + std::string(pad, 'a') + R"(",)";
    for (const std::string& tail : {std::string("}"), R"(,"x":")" + std::string(40, 'n') + "\"}"}) {
      const auto c = parse_control_line(head + R"("nebula":"commit","batch":1)" + tail);
      ASSERT_TRUE(c) << pad;
      EXPECT_TRUE(c->is_commit) << pad;
      // Near misses at the same offsets (the first two pass the 16-at-once
      // look, 'n' second and 'a' seventh, and fail the whole comparison).
      EXPECT_FALSE(parse_control_line(head + R"("nebxla":"commit","batch":1)" + tail)) << pad;
      EXPECT_FALSE(parse_control_line(head + R"("nebulax":"commit","batch":1)" + tail)) << pad;
      EXPECT_FALSE(parse_control_line(head + R"("nebul":"commit","batch":1)" + tail)) << pad;
    }
  }
}

TEST(TcpControlLines, CommitInAnyKeyOrder) {
  auto c = parse_control_line(R"({"batch":9,"nebula":"commit"})");
  ASSERT_TRUE(c);
  EXPECT_TRUE(c->is_commit);
  EXPECT_EQ(c->batch, 9);
  EXPECT_TRUE(c->problem.empty());
  auto s = parse_control_line(R"( { "nebula" : "commit", "batch" : "x-1" } )");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->batch, "x-1");
  auto no_id = parse_control_line(R"({"nebula":"commit"})");
  ASSERT_TRUE(no_id);
  EXPECT_TRUE(no_id->batch.is_null());
}

TEST(TcpControlLines, ProblemsAreReported) {
  EXPECT_FALSE(parse_control_line(R"({"nebula":"rollback"})")->problem.empty());
  EXPECT_FALSE(parse_control_line(R"({"nebula":"commit","batch":[1]})")->problem.empty());
  EXPECT_EQ(commit_line(5), R"({"batch":5,"nebula":"commit"})");
  EXPECT_FALSE(parse_control_line(R"({"nebula":"auth","node_id":"a"})")->problem.empty());
  EXPECT_FALSE(parse_control_line(R"({"nebula":"auth","node_id":1,"token":"t"})")->problem.empty());
}

TEST(TcpControlLines, AuthLineRoundTrips) {
  auto a = parse_control_line(auth_line("node-a", "s3cret"));
  ASSERT_TRUE(a);
  EXPECT_TRUE(a->is_auth);
  EXPECT_FALSE(a->is_commit);
  EXPECT_EQ(a->node_id, "node-a");
  EXPECT_EQ(a->token, "s3cret");
  EXPECT_TRUE(a->problem.empty());
}

TEST(TcpAcks, RoundTrip) {
  Ack a;
  a.batch = "b7";
  a.status = AckStatus::retry;
  a.accepted = 1;
  a.rejected = 2;
  a.last_seq = 40;
  a.retry_after_ms = 250;
  a.errors = {"x"};
  Ack b = parse_ack(to_line(a));
  EXPECT_EQ(b.batch, "b7");
  EXPECT_EQ(b.status, AckStatus::retry);
  EXPECT_EQ(b.accepted, 1u);
  EXPECT_EQ(b.rejected, 2u);
  EXPECT_EQ(b.last_seq, 40);
  EXPECT_EQ(b.retry_after_ms, 250u);
  EXPECT_EQ(b.errors, nlohmann::json::array({"x"}));
  EXPECT_THROW(parse_ack("{}"), Error);
  EXPECT_THROW(parse_ack(R"({"status":"maybe"})"), Error);
}

TEST(TcpAcks, MapToDeliveries) {
  Ack retry;
  retry.status = AckStatus::retry;
  retry.retry_after_ms = 300;
  EXPECT_EQ(delivery_from_ack(retry).status, NEBULA_RETRY);
  EXPECT_EQ(delivery_from_ack(retry).retry_after_ms, 300u);
  Ack rejected = error_ack(1, "bad");
  EXPECT_EQ(delivery_from_ack(rejected).status, NEBULA_INVALID);
  EXPECT_EQ(delivery_from_ack(rejected).message, "bad");
}

TEST(TcpBatchLines, OneLinePerRecordWithNodeInherited) {
  auto lines = batch_to_lines(R"({"node_id":"n","data_batch":[{"seq":1},{"seq":2,"node_id":"own","text":"a\nb"}]})");
  EXPECT_EQ(lines.count, 2u);
  EXPECT_EQ(lines.text, "{\"node_id\":\"n\",\"seq\":1}\n{\"node_id\":\"own\",\"seq\":2,\"text\":\"a\\nb\"}\n");
  EXPECT_EQ(batch_to_lines(R"({"node_id":"n","data_batch":[]})").count, 0u);
  EXPECT_THROW(batch_to_lines(R"({"data_batch":{}})"), Error);
}

// Caught by fuzz/targets/tcp_framing.cpp (fuzz/corpus/tcp_framing/regress_*).
TEST(TcpBatchLines, RecordWithTheControlKeyIsRefused) {
  EXPECT_THROW(batch_to_lines(R"({"node_id":"n","data_batch":[{"seq":1},{"nebula":"commit","batch":1}]})"), Error);
}

TEST(TcpAcks, NumbersOutOfRangeAreNotAnAck) {
  EXPECT_THROW(parse_ack(R"({"status":"accepted","accepted":1e30})"), Error);
  EXPECT_THROW(parse_ack(R"({"status":"accepted","rejected":-1})"), Error);
  EXPECT_THROW(parse_ack(R"({"status":"retry","retry_after_ms":"5"})"), Error);
  EXPECT_THROW(parse_ack(R"({"status":"accepted","last_seq":18446744073709551615})"), Error);
  EXPECT_EQ(parse_ack(R"({"status":"accepted","accepted":4294967295,"last_seq":-1})").accepted, 4294967295u);
}

TEST(TcpEndpointParsing, Forms) {
  EXPECT_EQ(parse_tcp_endpoint("tcp://h:7001").host, "h");
  EXPECT_EQ(parse_tcp_endpoint("tcp://[::1]:7001").host, "::1");
  EXPECT_EQ(parse_tcp_endpoint("tcp://h:7001/").port, "7001");
  EXPECT_THROW(parse_tcp_endpoint("tcp://h"), Error);
  EXPECT_THROW(parse_tcp_endpoint("tcp://:1"), Error);
  EXPECT_FALSE(parse_tcp_endpoint("tcp://h:7001").tls);
  EXPECT_TRUE(parse_tcp_endpoint("tcp+tls://h:7001").tls);
  EXPECT_EQ(parse_tcp_endpoint("tcp+tls://h:7001").port, "7001");
  EXPECT_THROW(parse_tcp_endpoint("tls://h:7001"), Error);
}

}  // namespace
}  // namespace nebula::transport::tcp
