// The file transport's client side: appending batches to a spool file.
#include <map>
#include <thread>

#include "file_test_fixture.hpp"

namespace nebula::transport_test {
namespace {

std::string endpoint_for(const fs::path& p) { return "file://" + p.string(); }

TEST_F(FileTransportTest, ClientAppendsOneLinePerRecordInheritingNodeId) {
  const auto file = spool_ / "node.jsonl";
  ClientUnderTest client(descriptor(), endpoint_for(file));
  auto d = client.deliver(make_batch("node-9", 1, 3, /*records_carry_node=*/false));
  EXPECT_EQ(d.status, NEBULA_OK) << d.message;
  EXPECT_EQ(d.accepted, 3u);
  auto lines = lines_of(read_text(file));
  ASSERT_EQ(lines.size(), 3u);
  for (int i = 0; i < 3; ++i) {
    auto r = nlohmann::json::parse(lines[i]);
    EXPECT_EQ(r["node_id"], "node-9");
    EXPECT_EQ(r["seq"], i + 1);
  }
}

TEST_F(FileTransportTest, ConcurrentClientsNeverInterleaveBatches) {
  const auto file = spool_ / "node.jsonl";
  constexpr int kWriters = 4, kBatches = 25, kPerBatch = 7;
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w)
    writers.emplace_back([&, w] {
      ClientUnderTest client(descriptor(), endpoint_for(file), {{"fsync", w == 0}});
      for (int b = 0; b < kBatches; ++b)
        EXPECT_EQ(client.deliver(make_batch("w" + std::to_string(w), b * kPerBatch, kPerBatch)).status, NEBULA_OK);
    });
  for (auto& t : writers) t.join();

  auto lines = lines_of(read_text(file));
  ASSERT_EQ(lines.size(), static_cast<size_t>(kWriters * kBatches * kPerBatch));
  // Each batch's lines sit together, in order.
  for (size_t i = 0; i < lines.size(); i += kPerBatch) {
    auto first = nlohmann::json::parse(lines[i]);
    ASSERT_EQ(first["seq"].get<int>() % kPerBatch, 0) << lines[i];
    for (int k = 1; k < kPerBatch; ++k) {
      auto r = nlohmann::json::parse(lines[i + k]);
      EXPECT_EQ(r["node_id"], first["node_id"]);
      EXPECT_EQ(r["seq"].get<int>(), first["seq"].get<int>() + k);
    }
  }
}

TEST_F(FileTransportTest, ClientAndTailerEndToEnd) {
  accept_all();
  const auto file = spool_ / "node.jsonl";
  start_server();
  ClientUnderTest client(descriptor(), endpoint_for(file));
  for (int b = 0; b < 5; ++b) ASSERT_EQ(client.deliver(make_batch("n", b * 4, 4)).status, NEBULA_OK);
  ASSERT_TRUE(wait_submitted(20));
  ASSERT_TRUE(wait_polls());
  auto lines = submitted();
  ASSERT_EQ(lines.size(), 20u);
  for (int i = 0; i < 20; ++i) EXPECT_EQ(nlohmann::json::parse(lines[i])["seq"], i);
}

TEST_F(FileTransportTest, ClientMapsUnwritableSpoolToRetry) {
  ClientUnderTest client(descriptor(), endpoint_for(spool_ / "missing-dir" / "node.jsonl"));
  auto d = client.deliver(make_batch("n", 1, 1));
  EXPECT_EQ(d.status, NEBULA_RETRY);
  EXPECT_NE(std::string(d.message).find("missing-dir"), std::string::npos) << d.message;
}

TEST_F(FileTransportTest, ClientRefusesBadEndpointsConfigAndDocuments) {
  auto* table = static_cast<const nebula_transport_client_v1*>(descriptor()->get_capability(NEBULA_CAP_TRANSPORT_CLIENT));
  ASSERT_NE(table, nullptr);
  for (auto [endpoint, config] : std::vector<std::pair<std::string, std::string>>{
           {"file://relative/path.jsonl", "{}"},
           {"/no/scheme.jsonl", "{}"},
           {"file:///dir/", "{}"},
           {"file:///tmp/x.jsonl", R"({"fsync":"yes"})"},
           {"file:///tmp/x.jsonl", R"({"sync":true})"}}) {
    void* c = nullptr;
    char err[NEBULA_ERROR_CAP] = {0};
    EXPECT_EQ(table->client_create(endpoint.c_str(), config.c_str(), &c, err, sizeof err), NEBULA_INVALID)
        << endpoint << " " << config;
  }
  ClientUnderTest client(descriptor(), endpoint_for(spool_ / "x.jsonl"));
  EXPECT_EQ(client.deliver(R"({"timestamp":1,"data_type":"node_contribution"})").status, NEBULA_INVALID);
  EXPECT_FALSE(fs::exists(spool_ / "x.jsonl"));
}

}  // namespace
}  // namespace nebula::transport_test
