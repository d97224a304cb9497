#include <gtest/gtest.h>

#include "seq_dedup.hpp"

using nebula::data_stream::SeqDedup;
using V = SeqDedup::Verdict;

TEST(SeqDedup, RepeatsAreDuplicatesGapsAreFilledLater) {
  SeqDedup d(64);
  EXPECT_EQ(d.check(1, 1), V::New);
  EXPECT_EQ(d.check(2, 2), V::New);
  EXPECT_EQ(d.check(2, 2), V::Duplicate);
  EXPECT_EQ(d.check(5, 5), V::New);
  EXPECT_EQ(d.check(4, 4), V::New) << "out of order, first time";
  EXPECT_EQ(d.check(4, 4), V::Duplicate);
  EXPECT_EQ(d.check(3, 3), V::New);
  EXPECT_EQ(d.check(1, 1), V::Duplicate);
}

TEST(SeqDedup, MemoryIsASlidingSpan) {
  SeqDedup d(64);
  for (int s = 0; s < 200; ++s) ASSERT_EQ(d.check(s, s), V::New);
  EXPECT_EQ(d.check(199 - 63, 136), V::Duplicate) << "still inside the span";
  EXPECT_EQ(d.check(100, 100), V::Stale) << "older than the span: cannot tell";
  EXPECT_EQ(d.check(1000, 1000), V::New) << "a jump clears the bitmap";
  EXPECT_EQ(d.check(990, 990), V::New);
  EXPECT_EQ(d.check(990, 990), V::Duplicate);
}

TEST(SeqDedup, LowerSeqWithNewerTimeIsARestart) {
  SeqDedup d(64);
  for (int s = 0; s < 10; ++s) d.check(s, 100 + s);
  EXPECT_EQ(d.check(0, 200), V::Restart);
  EXPECT_EQ(d.check(1, 201), V::New);
  EXPECT_EQ(d.check(0, 200), V::Duplicate) << "and the new run is de-duplicated too";
}
