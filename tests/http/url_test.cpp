#include <gtest/gtest.h>

#include "http/url.hpp"

using namespace nebula::http::detail;

TEST(Url, SplitsPathFromQuery) {
  EXPECT_EQ(split_target("/a/b?x=1&y").path, "/a/b");
  EXPECT_EQ(split_target("/a/b?x=1&y").query, "x=1&y");
  EXPECT_EQ(split_target("/a").query, "");
  EXPECT_EQ(split_target("/a?b?c").query, "b?c");
}

TEST(Url, PercentDecodes) {
  EXPECT_EQ(percent_decode("a%20b%2Fc%c3%bc", false), "a b/c\xc3\xbc");
  EXPECT_EQ(percent_decode("a+b", false), "a+b");
  EXPECT_EQ(percent_decode("a+b", true), "a b");
  EXPECT_FALSE(percent_decode("%zz", false));
  EXPECT_FALSE(percent_decode("abc%4", false));
  EXPECT_FALSE(percent_decode("%", false));
}

TEST(Url, ParsesQueryStrings) {
  const auto q = parse_query("name=J%C3%BCrgen+X&empty=&flag&a%26b=c%3Dd&&dup=1&dup=2&=novalue");
  ASSERT_TRUE(q);
  const std::map<std::string, std::string> expected{
      {"name", "J\xc3\xbcrgen X"}, {"empty", ""}, {"flag", ""}, {"a&b", "c=d"}, {"dup", "1"}};
  EXPECT_EQ(*q, expected);
  EXPECT_TRUE(parse_query("")->empty());
  EXPECT_FALSE(parse_query("a=%G0"));
}

TEST(Url, DecodesPathSegmentsOneByOne) {
  using Segments = std::vector<std::string>;
  EXPECT_EQ(decode_path_segments("/"), Segments{""});
  EXPECT_EQ(decode_path_segments("/a/b%2Fc/"), (Segments{"a", "b/c", ""}));
  EXPECT_FALSE(decode_path_segments("relative"));
  EXPECT_FALSE(decode_path_segments(""));
  EXPECT_FALSE(decode_path_segments("/bad%"));
}
