// Per-node tokens on the TCP transport: an auth line names the node and its
// token; after it, a batch may carry only that node's records.
#include <fstream>

#include "tcp_test_fixture.hpp"

namespace nebula::transport_test {
namespace {

std::string auth(const std::string& node, const std::string& token) {
  return nlohmann::json{{"nebula", "auth"}, {"node_id", node}, {"token", token}}.dump() + "\n";
}

class TcpAuthTest : public TcpTransportTest {
 protected:
  void start_with_tokens(const std::string& yaml) {
    std::ofstream(tokens_) << yaml;
    accept_all();
    start_server({{"tokens_file", tokens_.string()}});
  }
  std::filesystem::path tokens_ = dir_.path() / "tokens.yaml";
};

TEST_F(TcpAuthTest, RightTokenIsAcceptedWrongOrMissingOneClosesTheConnection) {
  start_with_tokens("node-a: secret-a\nnode-b: secret-b\n");

  RawLines good(port());
  good.send(auth("node-a", "secret-a") + record_line("node-a", 1) + commit(1));
  EXPECT_EQ(good.read_ack()["status"], "accepted");
  ASSERT_EQ(log_.size(), 1u);
  EXPECT_EQ(log_.all()[0].meta["node_id"], "node-a");
  EXPECT_EQ(log_.all()[0].payload, record_line("node-a", 1));  // the auth line is not a record

  for (const std::string& opening : {auth("node-a", "secret-b"), auth("node-z", "secret-a"), std::string()}) {
    RawLines bad(port());
    bad.send(opening + record_line("node-a", 2) + commit(2));
    auto ack = bad.read_ack();
    EXPECT_TRUE(ack["batch"].is_null()) << ack.dump();
    EXPECT_EQ(ack["status"], "rejected");
    const std::string why = ack["errors"][0].get<std::string>();
    EXPECT_TRUE(why.find("invalid token") != std::string::npos || why.find("authentication required") != std::string::npos)
        << why;
    EXPECT_TRUE(bad.closed_by_server());
  }
  EXPECT_EQ(log_.size(), 1u);
  EXPECT_EQ(host_.counter("unauthorized"), 3.0);
}

TEST_F(TcpAuthTest, TokenForOneNodeCannotSubmitAnotherNodesRecords) {
  start_with_tokens("node-a: secret-a\nnode-b: secret-b\n");
  RawLines conn(port());
  conn.send(auth("node-a", "secret-a") + record_line("node-a", 1) + record_line("node-b", 1) + commit(1));
  auto ack = conn.read_ack();
  EXPECT_EQ(ack["batch"], 1);
  EXPECT_EQ(ack["status"], "rejected");
  EXPECT_NE(ack["errors"][0].get<std::string>().find("record line 2: node_id 'node-b'"), std::string::npos)
      << ack.dump();
  EXPECT_EQ(log_.size(), 0u);
  EXPECT_EQ(host_.counter("forbidden_records"), 1.0);

  // The connection stays usable for the node's own records, and may switch
  // identity between batches with another auth line.
  conn.send(record_line("node-a", 2) + commit(2));
  EXPECT_EQ(conn.read_ack()["status"], "accepted");
  conn.send(auth("node-b", "secret-b") + record_line("node-b", 1) + commit(3));
  EXPECT_EQ(conn.read_ack()["status"], "accepted");
  conn.send(R"({"node_id":"node-a","node_id":"node-b","seq":9})" "\n" + commit(4));  // repeated key
  EXPECT_EQ(conn.read_ack()["status"], "rejected");
  ASSERT_EQ(log_.size(), 2u);
  EXPECT_EQ(log_.all()[1].meta["node_id"], "node-b");
}

TEST_F(TcpAuthTest, AuthLineInsideAnOpenBatchIsAProtocolError) {
  start_with_tokens("node-a: secret-a\n");
  RawLines conn(port());
  conn.send(auth("node-a", "secret-a") + record_line("node-a", 1) + auth("node-a", "secret-a") + commit(1));
  auto ack = conn.read_ack();
  EXPECT_TRUE(ack["batch"].is_null());
  EXPECT_NE(ack["errors"][0].get<std::string>().find("open batch"), std::string::npos) << ack.dump();
  EXPECT_TRUE(conn.closed_by_server());
}

TEST_F(TcpAuthTest, ClientSendsItsTokenAndReauthenticatesWhenTheNodeChanges) {
  start_with_tokens("node-a: shared\nnode-b: shared\n");
  ClientUnderTest client(descriptor(), endpoint(), {{"token", "shared"}});
  for (const char* node : {"node-a", "node-b", "node-a"}) {
    auto d = client.deliver(make_batch(node, 1, 2, false));  // records inherit the document's node_id
    EXPECT_EQ(d.status, NEBULA_OK) << d.message;
  }
  auto subs = log_.all();
  ASSERT_EQ(subs.size(), 3u);
  EXPECT_EQ(subs[0].meta["node_id"], "node-a");
  EXPECT_EQ(subs[1].meta["node_id"], "node-b");
  EXPECT_EQ(subs[2].meta["node_id"], "node-a");
  EXPECT_EQ(connections(), 1);  // all on one connection

  ClientUnderTest wrong(descriptor(), endpoint(), {{"token", "nope"}});
  auto refused = wrong.deliver(make_batch("node-a", 5, 1));
  EXPECT_EQ(refused.status, NEBULA_INVALID);
  EXPECT_NE(std::string(refused.message).find("invalid token"), std::string::npos) << refused.message;
}

TEST_F(TcpAuthTest, WithoutTokensAnAuthLineIsIgnored) {
  accept_all();
  start_server();
  ClientUnderTest client(descriptor(), endpoint(), {{"token", "anything"}});
  EXPECT_EQ(client.deliver(make_batch("node-a", 1, 1)).status, NEBULA_OK);
  ASSERT_EQ(log_.size(), 1u);
  EXPECT_FALSE(log_.all()[0].meta.contains("node_id"));
}

TEST_F(TcpAuthTest, MissingTokensFileIsAConfigError) {
  auto [st, msg] = validate(descriptor(), {{"tokens_file", (dir_.path() / "absent.yaml").string()}});
  EXPECT_EQ(st, NEBULA_INVALID);
  EXPECT_EQ(msg.rfind("/tokens_file: ", 0), 0u) << msg;
}

}  // namespace
}  // namespace nebula::transport_test
