#include <gtest/gtest.h>

#include "insight_fingerprint.hpp"

namespace nebula::sinks {
namespace {

TEST(InsightFingerprint, IsFnv1aSoEveryBuildKeysTheSameWay) {
  // Published FNV-1a 64 test vectors: a database outlives the build that wrote it.
  EXPECT_EQ(static_cast<uint64_t>(insight_fingerprint("")), 0xcbf29ce484222325ull);
  EXPECT_EQ(static_cast<uint64_t>(insight_fingerprint("a")), 0xaf63dc4c8601ec8cull);
  EXPECT_EQ(static_cast<uint64_t>(insight_fingerprint("foobar")), 0x85944171f73967e8ull);
}

TEST(InsightFingerprint, TellsDocumentsApart) {
  EXPECT_NE(insight_fingerprint(R"({"n":1})"), insight_fingerprint(R"({"n":2})"));
}

}  // namespace
}  // namespace nebula::sinks
