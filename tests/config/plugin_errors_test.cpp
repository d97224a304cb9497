// split_plugin_errors, JSON-pointer → YAML mark, ConfigIssue::format, find().
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/edit_distance.hpp"
#include "config/json_pointer_mark.hpp"
#include "config/pipeline_config.hpp"

namespace nebula::host {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Pair;

TEST(SplitPluginErrors, PointerAndMessagePerLine) {
  EXPECT_THAT(split_plugin_errors("/port: must be a number\n/tls/cert: file not found"),
              ElementsAre(Pair("/port", "must be a number"), Pair("/tls/cert", "file not found")));
}

TEST(SplitPluginErrors, EmptyPointerMeansTheWholeConfig) {
  EXPECT_THAT(split_plugin_errors(": missing 'port'\n:no space"),
              ElementsAre(Pair("", "missing 'port'"), Pair("", "no space")));
}

TEST(SplitPluginErrors, FreeTextIsAboutTheWholeConfig) {
  EXPECT_THAT(split_plugin_errors("something broke: badly\r\n\n  \n/x"),
              ElementsAre(Pair("", "something broke: badly"), Pair("", "/x")));
  EXPECT_THAT(split_plugin_errors(""), IsEmpty());
}

TEST(SplitPluginErrors, MessageMayContainColons) {
  EXPECT_THAT(split_plugin_errors("/url: bad scheme: ftp://x"), ElementsAre(Pair("/url", "bad scheme: ftp://x")));
}

TEST(MarkForPointer, WalksKeysAndIndexesAndStopsAtTheDeepestNode) {
  const YAML::Node root = YAML::Load("a:\n  b: [x, {c: 1}]\n\"d/e\": 2\n\"~f\": 3\n");
  auto line_col = [&](const std::string& pointer) {
    auto mark = mark_for_pointer(root, pointer);
    return mark ? std::make_pair(mark->line + 1, mark->column + 1) : std::make_pair(0, 0);
  };
  EXPECT_EQ(line_col(""), std::make_pair(1, 1));
  EXPECT_EQ(line_col("/a"), std::make_pair(1, 1));
  EXPECT_EQ(line_col("/a/b"), std::make_pair(2, 3));
  EXPECT_EQ(line_col("/a/b/0"), std::make_pair(2, 7));
  EXPECT_EQ(line_col("/a/b/1/c"), std::make_pair(2, 11));
  EXPECT_EQ(line_col("/a/b/01"), std::make_pair(2, 3));  // leading zero: not an index
  EXPECT_EQ(line_col("/a/b/9"), std::make_pair(2, 3));
  EXPECT_EQ(line_col("/a/zzz/c"), std::make_pair(1, 1));
  EXPECT_EQ(line_col("/d~1e"), std::make_pair(3, 1));
  EXPECT_EQ(line_col("/~0f"), std::make_pair(4, 1));
  EXPECT_FALSE(mark_for_pointer(YAML::Node(), "/a"));
}

TEST(MarkForPointer, LeavesTheDocumentUntouched) {
  const YAML::Node root = YAML::Load("a: {b: 1}\nc: 2\n");
  mark_for_pointer(root, "/a/b");
  EXPECT_EQ(YAML::Dump(root), "a: {b: 1}\nc: 2");
}

TEST(ConfigIssueFormat, LeavesOutUnknownPositions) {
  EXPECT_EQ((ConfigIssue{{"p.yaml", 3, 7}, "bad"}).format(), "p.yaml:3:7: bad");
  EXPECT_EQ((ConfigIssue{{"p.yaml", 3, 0}, "bad"}).format(), "p.yaml:3: bad");
  EXPECT_EQ((ConfigIssue{{"p.yaml", 0, 0}, "bad"}).format(), "p.yaml: bad");
}

TEST(PipelineConfigFind, FindsByIdOrNull) {
  PipelineConfig config;
  config.components.resize(2);
  config.components[0].id = "a";
  config.components[1].id = "b";
  EXPECT_EQ(config.find("b"), &config.components[1]);
  EXPECT_EQ(config.find("c"), nullptr);
}

TEST(EditDistance, ClosestWithinTwoEdits) {
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
  EXPECT_EQ(edit_distance("", "abc"), 3u);
  EXPECT_EQ(closest_match("wrkers", {"queue_capacity", "workers"}), "workers");
  EXPECT_EQ(closest_match("zzz", {"workers"}), std::nullopt);
  EXPECT_EQ(did_you_mean("htp_in", {"http_in", "blocks"}), "; did you mean 'http_in'?");
}

}  // namespace
}  // namespace nebula::host
