// Size-based rotation: path -> path.1 -> … -> path.<max_files>, the oldest
// deleted, no file past max_bytes, and no insight lost among those kept.
#include "file_sink_fixture.hpp"

namespace nebula::sink_file_test {
namespace {

TEST_F(FileSinkTest, RotatesAtMaxBytesAndKeepsMaxFiles) {
  auto cfg = config();
  cfg["max_bytes"] = 1024;
  cfg["max_files"] = 2;
  auto sink = make(cfg);
  constexpr int kInsights = 20;  // ~300 bytes each: three per file
  for (int n = 1; n <= kInsights; ++n) ASSERT_EQ(sink.deliver({numbered(n, 200)}), NEBULA_OK) << sink.last_error();

  const fs::path path1 = out().string() + ".1", path2 = out().string() + ".2", path3 = out().string() + ".3";
  ASSERT_TRUE(fs::exists(path1));
  ASSERT_TRUE(fs::exists(path2));
  EXPECT_FALSE(fs::exists(path3));
  for (const auto& p : {out(), path1, path2}) EXPECT_LE(fs::file_size(p), 1024u) << p;

  // Oldest to newest, the kept files hold one unbroken run ending with the last insight.
  std::vector<int> kept;
  for (const auto& p : {path2, path1, out()})
    for (int n : numbers_in(p)) kept.push_back(n);
  ASSERT_FALSE(kept.empty());
  EXPECT_EQ(kept.back(), kInsights);
  for (size_t i = 1; i < kept.size(); ++i) EXPECT_EQ(kept[i], kept[i - 1] + 1) << "at " << i;
  EXPECT_GE(host_.counter("rotations"), 2.0);
  EXPECT_EQ(host_.counter("insights_delivered"), kInsights);
}

TEST_F(FileSinkTest, BatchLargerThanMaxBytesGoesWholeIntoAFreshFile) {
  auto cfg = config();
  cfg["max_bytes"] = 1024;
  auto sink = make(cfg);
  ASSERT_EQ(sink.deliver({numbered(1)}), NEBULA_OK) << sink.last_error();
  ASSERT_EQ(sink.deliver({numbered(2, 600), numbered(3, 600)}), NEBULA_OK) << sink.last_error();
  EXPECT_EQ(numbers_in(out().string() + ".1"), std::vector<int>{1});
  EXPECT_EQ(numbers_in(out()), (std::vector<int>{2, 3}));
}

TEST_F(FileSinkTest, RotationCarriesOnAcrossARestart) {
  auto cfg = config();
  cfg["max_bytes"] = 1024;
  {
    auto sink = make(cfg);
    ASSERT_EQ(sink.deliver({numbered(1, 600)}), NEBULA_OK) << sink.last_error();
  }
  auto again = make(cfg);
  ASSERT_EQ(again.deliver({numbered(2, 600)}), NEBULA_OK) << again.last_error();
  EXPECT_EQ(numbers_in(out().string() + ".1"), std::vector<int>{1});
  EXPECT_EQ(numbers_in(out()), std::vector<int>{2});
}

}  // namespace
}  // namespace nebula::sink_file_test
