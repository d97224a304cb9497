// Per-node bearer tokens on the HTTP ingest endpoint.
#include <fstream>

#include "http_test_fixture.hpp"

namespace nebula::transport_test {
namespace {

const std::string kIngest = "/api/v1/pool/ingest";

class HttpAuthTest : public HttpTransportTest {
 protected:
  // Replaces the file the way config management does: write aside, rename over.
  void write_tokens(const std::string& text) {
    auto tmp = dir_.path() / "tokens.tmp";
    std::ofstream(tmp) << text;
    std::filesystem::rename(tmp, tokens_file_);
  }
  std::filesystem::path tokens_file_ = dir_.path() / "tokens.yaml";

  RawAnswer post(const std::vector<std::pair<std::string, std::string>>& headers, const std::string& target = kIngest,
                 const std::string& records_of = "node-a") {
    auto all = headers;
    all.emplace_back("Content-Type", "application/json");
    return RawHttp(port()).send(bhttp::verb::post, target, make_batch(records_of, 1, 1), all);
  }
};

TEST_F(HttpAuthTest, RequiresMatchingTokenForTheNode) {
  write_tokens("node-a: secret-a\nnode-b: secret-b\n");
  accept_all();
  start_server({{"tokens_file", tokens_file_.string()}});

  RawAnswer no_node = post({{"Authorization", "Bearer secret-a"}});
  EXPECT_EQ(no_node.status, 401u);
  EXPECT_NE(nlohmann::json::parse(no_node.body)["error"].get<std::string>().find("X-Nebula-Node"), std::string::npos);
  EXPECT_EQ(no_node.header("WWW-Authenticate"), "Bearer");
  EXPECT_EQ(post({{"X-Nebula-Node", "node-a"}}).status, 401u);                                   // no token
  EXPECT_EQ(post({{"X-Nebula-Node", "node-a"}, {"Authorization", "Bearer secret-b"}}).status, 401u);  // b's token
  EXPECT_EQ(post({{"X-Nebula-Node", "node-z"}, {"Authorization", "Bearer secret-a"}}).status, 401u);  // unknown node
  EXPECT_EQ(post({{"X-Nebula-Node", "node-a"}, {"Authorization", "Basic secret-a"}}).status, 401u);   // wrong scheme
  EXPECT_EQ(log_.size(), 0u);

  EXPECT_EQ(post({{"X-Nebula-Node", "node-a"}, {"Authorization", "Bearer secret-a"}}).status, 200u);
  EXPECT_EQ(post({{"Authorization", "bearer secret-b"}}, kIngest + "?node_id=node-b", "node-b").status, 200u);
  auto subs = log_.all();
  ASSERT_EQ(subs.size(), 2u);
  EXPECT_EQ(subs[0].meta["token"], "secret-a");
  EXPECT_EQ(subs[0].meta["node_id"], "node-a");
  EXPECT_EQ(subs[1].meta["token"], "secret-b");
  EXPECT_EQ(subs[1].meta["node_id"], "node-b");
  EXPECT_GE(host_.counter("unauthorized"), 5.0);
}

TEST_F(HttpAuthTest, AcceptsJsonTokensFile) {
  tokens_file_ = dir_.path() / "tokens.json";
  write_tokens(R"({"node-a": "secret-a"})");
  accept_all();
  start_server({{"tokens_file", tokens_file_.string()}});
  EXPECT_EQ(post({{"X-Nebula-Node", "node-a"}, {"Authorization", "Bearer secret-a"}}).status, 200u);
  EXPECT_EQ(post({{"X-Nebula-Node", "node-a"}, {"Authorization", "Bearer nope"}}).status, 401u);
}

TEST_F(HttpAuthTest, ReloadsTokensWhenTheFileChanges) {
  write_tokens("node-a: old\n");
  accept_all();
  start_server({{"tokens_file", tokens_file_.string()}});
  EXPECT_EQ(post({{"X-Nebula-Node", "node-a"}, {"Authorization", "Bearer old"}}).status, 200u);

  write_tokens("node-a: new\n");
  EXPECT_TRUE(wait_until([&] { return post({{"X-Nebula-Node", "node-a"}, {"Authorization", "Bearer new"}}).status == 200u; }));
  EXPECT_EQ(post({{"X-Nebula-Node", "node-a"}, {"Authorization", "Bearer old"}}).status, 401u);

  // A broken edit keeps the last good tokens rather than locking everyone out.
  write_tokens("node-a: [unterminated\n");
  EXPECT_EQ(post({{"X-Nebula-Node", "node-a"}, {"Authorization", "Bearer new"}}).status, 200u);
  bool warned = false;
  for (auto& l : host_.logs()) warned = warned || (l.level == NEBULA_LOG_WARN && l.message.find("previous tokens") != std::string::npos);
  EXPECT_TRUE(warned);
}

TEST_F(HttpAuthTest, ClientSendsTokenAndNodeFromTheBatch) {
  write_tokens("node-a: secret-a\n");
  accept_all();
  start_server({{"tokens_file", tokens_file_.string()}});
  ClientUnderTest good(descriptor(), endpoint(), {{"token", "secret-a"}});
  auto d = good.deliver(make_batch("node-a", 1, 2));
  EXPECT_EQ(d.status, NEBULA_OK) << d.message;
  EXPECT_EQ(d.accepted, 2u);

  ClientUnderTest bad(descriptor(), endpoint(), {{"token", "wrong"}});
  auto refused = bad.deliver(make_batch("node-a", 3, 1));
  EXPECT_EQ(refused.status, NEBULA_INVALID);
  EXPECT_NE(std::string(refused.message).find("401"), std::string::npos) << refused.message;
  EXPECT_NE(std::string(refused.message).find("invalid token"), std::string::npos) << refused.message;
}

TEST_F(HttpAuthTest, MissingOrBrokenTokensFileIsAConfigError) {
  auto [st, msg] = validate(descriptor(), {{"tokens_file", (dir_.path() / "absent.yaml").string()}});
  EXPECT_EQ(st, NEBULA_INVALID);
  EXPECT_EQ(msg.rfind("/tokens_file: ", 0), 0u) << msg;
  EXPECT_NE(msg.find("absent.yaml"), std::string::npos) << msg;
  write_tokens("- just\n- a list\n");
  std::tie(st, msg) = validate(descriptor(), {{"tokens_file", tokens_file_.string()}});
  EXPECT_EQ(msg.rfind("/tokens_file: ", 0), 0u) << msg;
  EXPECT_THROW(ServerUnderTest(host_, descriptor(), {{"port", 0}, {"tokens_file", "/nonexistent/t.yaml"}}),
               std::runtime_error);
}

// A token proves who the sender is; it must not carry another node's records,
// wherever in the document a node_id can stand.
TEST_F(HttpAuthTest, TokenForOneNodeCannotSubmitAnotherNodesRecords) {
  write_tokens("node-a: secret-a\nnode-b: secret-b\n");
  accept_all();
  start_server({{"tokens_file", tokens_file_.string()}});
  const std::vector<std::pair<std::string, std::string>> as_a = {
      {"X-Nebula-Node", "node-a"}, {"Authorization", "Bearer secret-a"}, {"Content-Type", "application/json"}};
  auto post_body = [&](const std::string& body) { return RawHttp(port()).send(bhttp::verb::post, kIngest, body, as_a); };

  auto b_entry = make_record("node-b", 1);
  const std::vector<std::string> foreign = {
      make_batch("node-b", 1, 2),                                                   // the whole batch
      nlohmann::json{{"node_id", "node-a"}, {"data_batch", {make_record("node-a", 1), b_entry}}}.dump(),  // one entry
      nlohmann::json{{"data_batch", {b_entry}}}.dump(),                             // no batch node_id
      R"({"node_id":"node-a","node_id":"node-b","data_batch":[{"seq":1}]})",         // a repeated key
      R"({"node_id":"node-a","data_type":"node_contribution","node_data":{"node_id":"node-b"}})",
      R"({"node_id":"node-\u0062","data_batch":[{"seq":1}]})",                       // an escaped id
  };
  for (const auto& body : foreign) {
    RawAnswer a = post_body(body);
    EXPECT_EQ(a.status, 403u) << body << " -> " << a.body;
    EXPECT_EQ(nlohmann::json::parse(a.body)["status"], "error") << a.body;
  }
  // What cannot be checked is not passed on under the token either.
  EXPECT_EQ(post_body("{not json").status, 400u);
  EXPECT_EQ(log_.size(), 0u);
  EXPECT_EQ(host_.counter("forbidden_records"), static_cast<double>(foreign.size()));

  // Its own records, in either shape, still go through; extra fields named node_id do not matter.
  auto own = make_record("node-a", 5);
  own["extra"] = {{"node_id", "someone-else"}};
  EXPECT_EQ(post_body(make_batch("node-a", 1, 3)).status, 200u);
  EXPECT_EQ(post_body(nlohmann::json{{"node_id", "node-a"}, {"data_batch", {own}}}.dump()).status, 200u);
  EXPECT_EQ(post_body(R"({"data_type":"node_contribution","node_data":{"node_id":"node-a"}})").status, 200u);
  EXPECT_EQ(log_.size(), 3u);

  // The plugin's own client names the batch's node: a mismatch is a delivery error, not a retry.
  ClientUnderTest client(descriptor(), endpoint(), {{"token", "secret-a"}, {"node_id", "node-a"}});
  auto d = client.deliver(make_batch("node-b", 9, 1));
  EXPECT_EQ(d.status, NEBULA_INVALID);
  EXPECT_NE(std::string(d.message).find("403"), std::string::npos) << d.message;
}

}  // namespace
}  // namespace nebula::transport_test
