// A part of an insight's simdjson tape copied into nlohmann
// (plugins/common/insight_reading): the value nlohmann's own parse gives.
#include <stdexcept>
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

// Same only when the copy would equal the value exactly: a kept copy must
// dump as a fresh one would.
TEST(NlohmannCopy, SameOnlyWhenACopyWouldEqualTheValueExactly) {
  const auto same = [](const char* tape_text, const char* dom_text) {
    const auto root = parse_json_tape(tape_text);
    if (!root) throw std::logic_error("not JSON");
    return nebula::insights::same_as_nlohmann(*root, nlohmann::json::parse(dom_text));
  };
  const char* evidence =
      R"([{"baseline":8.5,"metric":"peer_count","n":-2,"ok":true,"u":18446744073709551615,"x":null}])";
  EXPECT_TRUE(same(evidence, evidence));
  EXPECT_TRUE(same(R"({"a":[],"b":{}})", R"({"b":{},"a":[]})")) << "members by key";
  EXPECT_FALSE(same(R"([1])", R"([1.0])")) << "an integer is not a double";
  EXPECT_FALSE(same(R"([0.0])", R"([-0.0])")) << "they dump differently";
  EXPECT_FALSE(same(R"([1,2])", R"([1])"));
  EXPECT_FALSE(same(R"({"a":1})", R"({"a":1,"b":2})"));
  EXPECT_FALSE(same(R"({"a":1,"c":3})", R"({"a":1,"b":3})"));
  EXPECT_FALSE(same(R"({"a":1,"a":1})", R"({"a":1,"b":1})")) << "a duplicated key is no distinct member";
  EXPECT_FALSE(same(R"({"b":1,"a":1})", R"({"a":1,"b":1})")) << "keys out of order: copied anew";
  EXPECT_FALSE(same(R"(["1"])", R"([1])"));
  EXPECT_FALSE(same(R"([null])", R"([false])"));
}
