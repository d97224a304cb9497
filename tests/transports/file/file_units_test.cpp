// Pure pieces of the file transport: chunk reading and the offsets file.
#include <fcntl.h>
#include <unistd.h>

#include <fstream>

#include <gtest/gtest.h>

#include <nebula/host.hpp>

#include "line_chunk.hpp"
#include "offset_store.hpp"
#include "transport_test_support.hpp"

namespace nebula::transport::file {
namespace {

class ChunkTest : public ::testing::Test {
 protected:
  LineChunk read(const std::string& content, uint64_t offset, ChunkLimits limits = {}) {
    {
      std::ofstream(path_, std::ios::trunc | std::ios::binary) << content;
    }
    int fd = ::open(path_.c_str(), O_RDONLY);
    EXPECT_GE(fd, 0);
    auto c = read_chunk(fd, offset, limits);
    ::close(fd);
    return c;
  }
  transport_test::TempDir dir_;
  std::filesystem::path path_ = dir_.path() / "spool.jsonl";
};

TEST_F(ChunkTest, CompleteLinesOnlyWithOffsets) {
  auto c = read("a\r\n\n  \nbb\ncc", 0);
  ASSERT_EQ(c.lines.size(), 2u);
  EXPECT_EQ(c.lines[0].text, "a");  // "\r" dropped
  EXPECT_EQ(c.lines[0].start, 0u);
  EXPECT_EQ(c.lines[0].end, 3u);
  EXPECT_EQ(c.lines[1].text, "bb");
  EXPECT_EQ(c.lines[1].start, 7u);
  EXPECT_EQ(c.end, 10u);  // "cc" has no newline yet
  EXPECT_EQ(read("a\nbb\n", 2).lines[0].text, "bb");
  EXPECT_EQ(read("partial", 0).end, 0u);
}

TEST_F(ChunkTest, LimitsLinesAndBytes) {
  std::string text;
  for (int i = 0; i < 10; ++i) text += "line" + std::to_string(i) + "\n";
  EXPECT_EQ(read(text, 0, {3, 1 << 20, 1 << 20}).lines.size(), 3u);
  auto by_bytes = read(text, 0, {100, 12, 1 << 20});
  EXPECT_EQ(by_bytes.lines.size(), 2u);  // 6 + 6 bytes
  EXPECT_EQ(by_bytes.end, 12u);
}

TEST_F(ChunkTest, OversizeLineComesAloneOnceFinished) {
  const std::string big(300, 'x');
  auto first = read("ok\n" + big + "\nafter\n", 0, {100, 1 << 20, 64});
  ASSERT_EQ(first.lines.size(), 1u);  // what precedes it first
  EXPECT_FALSE(first.oversize);
  auto second = read("ok\n" + big + "\nafter\n", first.end, {100, 1 << 20, 64});
  ASSERT_TRUE(second.oversize);
  EXPECT_TRUE(second.lines.empty());
  EXPECT_EQ(second.oversize->start, 3u);
  EXPECT_EQ(second.end, 3u + 301u);
  EXPECT_EQ(second.oversize->head, big.substr(0, 256));
  auto unfinished = read("ok\n" + big, 3, {100, 1 << 20, 64});
  EXPECT_FALSE(unfinished.oversize);
  EXPECT_EQ(unfinished.end, 3u);  // waits for its end
}

TEST_F(ChunkTest, LinesAcrossReadBlocks) {
  std::string text;
  for (int i = 0; i < 5000; ++i) text += std::string(40, 'a' + i % 26) + "\n";  // ~200 KiB
  auto c = read(text, 0, {10000, 1 << 30, 1 << 20});
  ASSERT_EQ(c.lines.size(), 5000u);
  EXPECT_EQ(c.lines[4999].end, text.size());
  EXPECT_EQ(c.lines[1700].text, std::string(40, 'a' + 1700 % 26));
}

TEST(OffsetStoreTest, RoundTripAndDamage) {
  transport_test::TempDir dir;
  OffsetStore store(dir.path() / "offsets.json");
  EXPECT_TRUE(store.load().empty());
  store.save({{"1:2", {"/x.jsonl", 42, 42, 0xdeadbeefcafef00dull}}});
  auto back = store.load();
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(back["1:2"].path, "/x.jsonl");
  EXPECT_EQ(back["1:2"].offset, 42u);
  EXPECT_EQ(back["1:2"].head_hash, 0xdeadbeefcafef00dull);
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "offsets.json.tmp"));
  std::ofstream(dir.path() / "offsets.json") << R"({"files":{"1:2":{"offset":-1}}})";
  EXPECT_THROW(store.load(), Error);
}

}  // namespace
}  // namespace nebula::transport::file
