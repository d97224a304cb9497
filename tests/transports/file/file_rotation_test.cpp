// Rotation by rename, truncation and rewrites of spool files.
#include "file_test_fixture.hpp"

namespace nebula::transport_test {
namespace {

int seq_of(const std::string& line) { return nlohmann::json::parse(line)["seq"].get<int>(); }
std::string tag_of(const std::string& line) { return nlohmann::json::parse(line)["node_id"].get<std::string>(); }

TEST_F(FileTransportTest, RenameRotationFinishesOldFileThenReadsNewOneFromStart) {
  accept_all();
  const auto live = spool_ / "node.jsonl";
  append(live, spool_line("old", 1) + spool_line("old", 2));
  start_server();
  ASSERT_TRUE(wait_submitted(2));

  // The writer adds more, then logrotate-style rename, then a fresh file.
  append(live, spool_line("old", 3) + spool_line("old", 4));
  fs::rename(live, spool_ / "node.jsonl.1");  // no longer matches *.jsonl
  append(live, spool_line("new", 1) + spool_line("new", 2));

  ASSERT_TRUE(wait_submitted(6));
  ASSERT_TRUE(wait_polls(3));
  auto lines = submitted();
  ASSERT_EQ(lines.size(), 6u);
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(tag_of(lines[i]), "old");  // old inode finished first ...
    EXPECT_EQ(seq_of(lines[i]), i + 1);
  }
  EXPECT_EQ(tag_of(lines[4]), "new");  // ... then the new file from offset 0
  EXPECT_EQ(seq_of(lines[4]), 1);
  EXPECT_EQ(seq_of(lines[5]), 2);
  EXPECT_GE(server_->describe()["rotations"].get<int>(), 1);
}

TEST_F(FileTransportTest, RenameToAnotherMatchingNameKeepsThePosition) {
  accept_all();
  append(spool_ / "a.jsonl", spool_line("a", 1));
  start_server();
  ASSERT_TRUE(wait_submitted(1));
  fs::rename(spool_ / "a.jsonl", spool_ / "b.jsonl");
  append(spool_ / "b.jsonl", spool_line("a", 2));
  ASSERT_TRUE(wait_submitted(2));
  ASSERT_TRUE(wait_polls(3));
  EXPECT_EQ(submitted().size(), 2u);  // same inode: not read again under its new name
}

TEST_F(FileTransportTest, RemovedFileIsFinishedAndForgotten) {
  accept_all();
  const auto file = spool_ / "gone.jsonl";
  append(file, spool_line("g", 1));
  auto& server = start_server({{"paths", {(spool_ / "*.jsonl").string()}}, {"poll_interval_ms", 10}, {"rotated_grace_ms", 0}});
  ASSERT_TRUE(wait_submitted(1));
  fs::remove(file);
  ASSERT_TRUE(wait_until([&] { return server.describe()["files"].empty(); }));
  auto offsets = nlohmann::json::parse(read_text(host_.state_dir() / "offsets.json"));
  EXPECT_TRUE(offsets["files"].empty());
}

TEST_F(FileTransportTest, TruncatedFileIsReadAgainFromStartAndCounted) {
  accept_all();
  const auto file = spool_ / "node.jsonl";
  append(file, spool_line("a", 1) + spool_line("a", 2) + spool_line("a", 3));
  start_server();
  ASSERT_TRUE(wait_submitted(3));
  ASSERT_TRUE(wait_until([&] { return persisted_offset(file) == static_cast<int64_t>(fs::file_size(file)); }));

  fs::resize_file(file, 0);  // truncate in place: same inode
  append(file, spool_line("b", 1));
  ASSERT_TRUE(wait_submitted(4));
  EXPECT_EQ(submitted()[3], R"({"node_id":"b","seq":1})");
  EXPECT_EQ(host_.counter("truncations"), 1.0);
  EXPECT_EQ(server_->describe()["truncations"], 1);
}

TEST_F(FileTransportTest, InPlaceRewriteLongerThanTheOffsetIsDetected) {
  accept_all();
  const auto file = spool_ / "node.jsonl";
  append(file, spool_line("a", 1));
  start_server();
  ASSERT_TRUE(wait_submitted(1));
  ASSERT_TRUE(wait_until([&] { return persisted_offset(file) > 0; }));

  // copytruncate-style: same inode, new content longer than what we had read.
  {
    std::ofstream out(file, std::ios::trunc);
    out << spool_line("b", 1) << spool_line("b", 2) << spool_line("b", 3);
  }
  ASSERT_TRUE(wait_submitted(4));
  ASSERT_TRUE(wait_polls(3));
  auto lines = submitted();
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[1], R"({"node_id":"b","seq":1})");
  EXPECT_EQ(host_.counter("truncations"), 1.0);
}

TEST_F(FileTransportTest, FileRewrittenWhileStoppedIsReadFromStart) {
  accept_all();
  const auto file = spool_ / "node.jsonl";
  append(file, spool_line("a", 1) + spool_line("a", 2));
  start_server();
  ASSERT_TRUE(wait_submitted(2));
  server_.reset();
  {
    std::ofstream out(file, std::ios::trunc);  // same inode, different bytes, still longer
    out << spool_line("b", 100) << spool_line("b", 101) << spool_line("b", 102);
  }
  restart_server();
  ASSERT_TRUE(wait_submitted(5));
  auto lines = submitted();
  EXPECT_EQ(seq_of(lines[2]), 100);
  EXPECT_EQ(seq_of(lines[4]), 102);
}

}  // namespace
}  // namespace nebula::transport_test
