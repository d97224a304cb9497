#include <gtest/gtest.h>

#include "wal/frame.hpp"

namespace nebula::wal {
namespace {

std::string three_frames() {
  std::string bytes;
  append_frame(bytes, FrameType::Header, 1, std::string(8, '\0'));
  append_frame(bytes, FrameType::Records, 1, "first payload");
  append_frame(bytes, FrameType::Records, 2, "second payload");
  append_frame(bytes, FrameType::Commit, 2, "");
  return bytes;
}

TEST(Frame, GoodFramesReadBackInOrder) {
  const std::string bytes = three_frames();
  ScanResult r = scan_frames(bytes);
  ASSERT_EQ(r.frames.size(), 4u);
  EXPECT_EQ(r.damaged_regions, 0u);
  EXPECT_EQ(r.frames[1].type, FrameType::Records);
  EXPECT_EQ(r.frames[1].payload, "first payload");
  EXPECT_EQ(r.frames[2].lsn, 2u);
  EXPECT_EQ(r.frames[3].type, FrameType::Commit);
}

TEST(Frame, FlippedPayloadByteSkipsOnlyThatFrame) {
  std::string bytes = three_frames();
  const size_t pos = bytes.find("first payload");
  bytes[pos + 3] ^= 0x20;
  ScanResult r = scan_frames(bytes);
  ASSERT_EQ(r.frames.size(), 3u);
  EXPECT_EQ(r.damaged_regions, 1u);
  EXPECT_EQ(r.frames[1].payload, "second payload");
}

TEST(Frame, FlippedLengthIsCaughtByTheChecksum) {
  std::string bytes = three_frames();
  const size_t second = bytes.find("first payload") - kFrameHeaderBytes;
  bytes[second + 4] ^= 0x01;  // the length field
  ScanResult r = scan_frames(bytes);
  EXPECT_EQ(r.frames.size(), 3u);
  EXPECT_EQ(r.damaged_regions, 1u);
  EXPECT_GT(r.damaged_bytes, 0u);
}

TEST(Frame, TornTailIsCountedNotRead) {
  std::string bytes = three_frames();
  append_frame(bytes, FrameType::Records, 3, "tail!");
  for (size_t cut = 1; cut < kFrameHeaderBytes + 5; ++cut) {
    const std::string torn = bytes.substr(0, bytes.size() - cut);
    ScanResult r = scan_frames(torn);
    EXPECT_EQ(r.frames.size(), 4u) << "cut " << cut;
    EXPECT_EQ(r.damaged_regions, 1u) << "cut " << cut;
    EXPECT_EQ(r.damaged_bytes, kFrameHeaderBytes + 5 - cut) << "cut " << cut;
  }
}

TEST(Frame, GarbageBetweenFramesIsSkipped) {
  std::string bytes;
  append_frame(bytes, FrameType::Records, 1, "a");
  bytes += "garbage NWAL bytes";
  append_frame(bytes, FrameType::Records, 2, "b");
  ScanResult r = scan_frames(bytes);
  ASSERT_EQ(r.frames.size(), 2u);
  EXPECT_EQ(r.frames[1].payload, "b");
  EXPECT_EQ(r.damaged_bytes, std::string("garbage NWAL bytes").size());
}

TEST(Frame, EmptyAndTinyInputsAreSafe) {
  EXPECT_TRUE(scan_frames("").frames.empty());
  EXPECT_EQ(scan_frames("x").damaged_regions, 1u);
}

}  // namespace
}  // namespace nebula::wal
