// A part of an insight's simdjson tape copied into nlohmann
// (plugins/common/insight_reading): the value nlohmann's own parse gives.
#include <string>

#include <gtest/gtest.h>

#include <nebula_insights/json_tape.hpp>
#include <nebula_insights/nlohmann_copy.hpp>

using nebula::insights::parse_json_tape;
using nebula::insights::to_nlohmann;

TEST(NlohmannCopy, EqualsNlohmannsParseAndDumpsTheSameText) {
  const std::string text =
      R"({"kind":"patterns","n":-3,"big":18446744073709551615,"zero":0.0,"x":1.5e-7,"t":true,"f":false,)"
      R"("none":null,"s":"a\"b\u00e9","empty":{},"list":[],"active":[{"id":"stall/n1/1.000","nodes":["a","b"],)"
      R"("severity":{"label":"high","score":0.839},"evidence":[{"metric":"m","value":26.0,"baseline":29.0635}]}]})";
  const auto root = parse_json_tape(text);
  ASSERT_TRUE(root);
  const nlohmann::json copy = to_nlohmann(*root), parsed = nlohmann::json::parse(text);
  EXPECT_EQ(copy, parsed);
  EXPECT_EQ(copy.dump(), parsed.dump());
  EXPECT_TRUE(copy["zero"].is_number_float()) << "0.0 stays a double, as the producer wrote it";
  EXPECT_EQ(copy["big"].get<std::uint64_t>(), 18446744073709551615u);
}

TEST(NlohmannCopy, CopiesAPartAndTheLastOfADuplicatedKeyWins) {
  const auto root = parse_json_tape(R"({"a":{"k":1,"k":2},"b":[1,2]})");
  ASSERT_TRUE(root);
  EXPECT_EQ(to_nlohmann(root->at_key("a").value()), (nlohmann::json{{"k", 2}}));
  EXPECT_EQ(to_nlohmann(root->at_key("b").value()), (nlohmann::json{1, 2}));
}

TEST(NlohmannCopy, LeavesOutTheNamedMembersEveryTimeTheyOccur) {
  const auto root =
      parse_json_tape(R"({"active":[1],"kind":"patterns","active":[2],"ended":[],"chains":{"c":{"n":1}}})");
  ASSERT_TRUE(root);
  EXPECT_EQ(nebula::insights::to_nlohmann_without(nebula::insights::object_of(*root), {"active", "ended"}),
            nlohmann::json::parse(R"({"kind":"patterns","chains":{"c":{"n":1}}})"));
}

TEST(JsonTape, AMemberIsTheLastOfADuplicatedKeyAsInADom) {
  const auto root = parse_json_tape(R"({"k":1,"j":true,"k":"two"})");
  ASSERT_TRUE(root);
  const auto k = nebula::insights::member_of(*root, "k");
  ASSERT_TRUE(k);
  EXPECT_EQ(nebula::insights::string_view_of(*k), "two");
  EXPECT_FALSE(nebula::insights::member_of(*root, "missing"));
  EXPECT_FALSE(nebula::insights::member_of(root->at_key("j").value(), "k")) << "not an object";
}
