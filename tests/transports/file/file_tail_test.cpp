// Tailing spool files: complete lines only, offsets that survive restarts.
#include "file_test_fixture.hpp"

namespace nebula::transport_test {
namespace {

TEST_F(FileTransportTest, HandsCompleteLinesToTheHostAsNdjson) {
  accept_all();
  const auto file = spool_ / "node.jsonl";
  append(file, spool_line("a", 1) + spool_line("a", 2) + "\n" + spool_line("a", 3));
  start_server();
  ASSERT_TRUE(wait_submitted(3));
  auto subs = log_.all();
  EXPECT_EQ(subs[0].format, NEBULA_FORMAT_NDJSON);
  EXPECT_EQ(subs[0].meta["transport"], "file");
  EXPECT_EQ(subs[0].meta["path"], file.string());
  EXPECT_EQ(submitted(), (std::vector<std::string>{R"({"node_id":"a","seq":1})", R"({"node_id":"a","seq":2})",
                                                   R"({"node_id":"a","seq":3})"}));
  ASSERT_TRUE(wait_until([&] { return persisted_offset(file) == static_cast<int64_t>(fs::file_size(file)); }));
}

TEST_F(FileTransportTest, PartialTrailingLineWaitsForItsNewline) {
  accept_all();
  const auto file = spool_ / "node.jsonl";
  append(file, spool_line("a", 1) + R"({"node_id":"a","se)");
  start_server();
  ASSERT_TRUE(wait_submitted(1));
  ASSERT_TRUE(wait_polls(3));
  EXPECT_EQ(submitted().size(), 1u);  // the half line was not handed over
  EXPECT_EQ(persisted_offset(file), static_cast<int64_t>(spool_line("a", 1).size()));

  append(file, "q\":2}\n");
  ASSERT_TRUE(wait_submitted(2));
  EXPECT_EQ(submitted()[1], R"({"node_id":"a","seq":2})");
}

TEST_F(FileTransportTest, OffsetsSurviveRestartWithoutRereadOrLoss) {
  accept_all();
  const auto file = spool_ / "node.jsonl";
  for (int i = 0; i < 5; ++i) append(file, spool_line("a", i));
  start_server();
  ASSERT_TRUE(wait_submitted(5));
  server_.reset();  // stopped; lines keep arriving while the pool is down

  for (int i = 5; i < 8; ++i) append(file, spool_line("a", i));
  restart_server();
  ASSERT_TRUE(wait_submitted(8));
  ASSERT_TRUE(wait_polls(3));
  auto lines = submitted();
  ASSERT_EQ(lines.size(), 8u);  // nothing read twice
  for (int i = 0; i < 8; ++i) EXPECT_EQ(nlohmann::json::parse(lines[i])["seq"], i);  // nothing lost
}

TEST_F(FileTransportTest, FollowsEveryMatchingFileAndIgnoresOthers) {
  accept_all();
  append(spool_ / "a.jsonl", spool_line("a", 1));
  append(spool_ / "b.jsonl", spool_line("b", 1));
  append(spool_ / "notes.txt", spool_line("x", 1));
  fs::create_directories(spool_ / "other");
  append(spool_ / "other" / "c.jsonl", spool_line("c", 1));
  start_server({{"paths", {(spool_ / "*.jsonl").string(), (spool_ / "other" / "*.jsonl").string()}},
                {"poll_interval_ms", 10}});
  ASSERT_TRUE(wait_submitted(3));
  append(spool_ / "late.jsonl", spool_line("late", 1));  // appears after start
  ASSERT_TRUE(wait_submitted(4));
  ASSERT_TRUE(wait_polls());
  std::multiset<std::string> tags;
  for (auto& l : submitted()) tags.insert(nlohmann::json::parse(l)["node_id"].get<std::string>());
  EXPECT_EQ(tags, (std::multiset<std::string>{"a", "b", "c", "late"}));
}

TEST_F(FileTransportTest, SubmitsInChunksOfAtMostMaxLines) {
  accept_all();
  const auto file = spool_ / "node.jsonl";
  std::string text;
  for (int i = 0; i < 25; ++i) text += spool_line("a", i);
  append(file, text);
  start_server({{"paths", {file.string()}}, {"poll_interval_ms", 10}, {"max_lines_per_submit", 10}});
  ASSERT_TRUE(wait_submitted(25));
  auto subs = log_.all();
  ASSERT_EQ(subs.size(), 3u);
  EXPECT_EQ(lines_of(subs[0].payload).size(), 10u);
  EXPECT_EQ(lines_of(subs[2].payload).size(), 5u);
}

TEST_F(FileTransportTest, OverlongLineIsSetAsideAndTheRestFlows) {
  accept_all();
  const auto file = spool_ / "node.jsonl";
  append(file, spool_line("a", 1) + std::string(5000, 'x') + "\n" + spool_line("a", 2));
  start_server({{"paths", {file.string()}}, {"poll_interval_ms", 10}, {"max_line_bytes", 1024}});
  ASSERT_TRUE(wait_submitted(2));
  EXPECT_EQ(submitted(), (std::vector<std::string>{R"({"node_id":"a","seq":1})", R"({"node_id":"a","seq":2})"}));
  auto rejected = rejected_entries();
  ASSERT_EQ(rejected.size(), 1u);
  EXPECT_EQ(rejected[0]["offset"], spool_line("a", 1).size());
  EXPECT_NE(rejected[0]["reason"].get<std::string>().find("max_line_bytes"), std::string::npos);
  EXPECT_EQ(rejected[0]["line"].get<std::string>().substr(0, 10), "xxxxxxxxxx");
}

TEST_F(FileTransportTest, DescribeReportsFilesAndCounters) {
  accept_all();
  const auto file = spool_ / "node.jsonl";
  append(file, spool_line("a", 1));
  auto& server = start_server();
  ASSERT_TRUE(wait_submitted(1));
  ASSERT_TRUE(wait_until([&] { return server.describe()["files"].size() == 1; }));
  auto d = server.describe();
  EXPECT_EQ(d["running"], true);
  EXPECT_EQ(d["paths"][0], (spool_ / "*.jsonl").string());
  EXPECT_EQ(d["files"][0]["path"], file.string());
  EXPECT_EQ(d["lines_submitted"], 1);
  EXPECT_EQ(d["offsets_file"], (host_.state_dir() / "offsets.json").string());
}

TEST_F(FileTransportTest, ConfigIsValidatedWithPointers) {
  EXPECT_EQ(validate(descriptor(), default_config()).first, NEBULA_OK);
  auto [st, msg] = validate(descriptor(), {{"paths", {"ok.jsonl", 3}}, {"poll_interval_ms", 0}, {"pattern", "x"}});
  EXPECT_EQ(st, NEBULA_INVALID);
  EXPECT_NE(msg.find("/paths/1:"), std::string::npos) << msg;
  EXPECT_NE(msg.find("/poll_interval_ms:"), std::string::npos) << msg;
  EXPECT_NE(msg.find("/pattern: unknown key"), std::string::npos) << msg;
  EXPECT_NE(validate(descriptor(), nlohmann::json::object()).second.find("/paths: required"), std::string::npos);
}

TEST_F(FileTransportTest, DamagedOffsetsFileFailsStartLoudly) {
  accept_all();
  std::ofstream(host_.state_dir() / "offsets.json") << "{not json";
  ServerUnderTest server(host_, descriptor(), default_config());
  try {
    server.start();
    FAIL() << "started with a damaged offsets file";
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find("offsets.json"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace nebula::transport_test
