// The validator on small schemas: each keyword accepts what it should and
// reports what it should not, with the JSON pointer of the offending value.
#include <gtest/gtest.h>

#include <nebula/testing/json_schema.hpp>

namespace {

using nlohmann::json;
using nebula::testing::JsonSchema;
using nebula::testing::SchemaViolation;

std::vector<SchemaViolation> violations(const json& schema, const json& doc) { return JsonSchema(schema).validate(doc); }

// The single violation a document has (fails the test when there are more or none).
SchemaViolation only_violation(const json& schema, const json& doc) {
  auto found = violations(schema, doc);
  EXPECT_EQ(found.size(), 1u) << nebula::testing::describe(found);
  return found.empty() ? SchemaViolation{} : found.front();
}

TEST(JsonSchema, TypeAcceptsEveryListedTypeAndNamesTheOneFound) {
  const json schema = {{"type", {"number", "null"}}};
  EXPECT_TRUE(violations(schema, 1.5).empty());
  EXPECT_TRUE(violations(schema, nullptr).empty());
  const auto v = only_violation(schema, "1.5");
  EXPECT_EQ(v.path, "");
  EXPECT_EQ(v.reason, R"(expected ["number","null"], got string)");
}

TEST(JsonSchema, IntegerIsANumberWithoutAFraction) {
  const json schema = {{"type", "integer"}};
  EXPECT_TRUE(violations(schema, 3).empty());
  EXPECT_TRUE(violations(schema, 3.0).empty()) << "3.0 is an integer in JSON Schema";
  EXPECT_EQ(only_violation(schema, 3.5).reason, "expected integer, got number");
  EXPECT_EQ(only_violation(schema, true).reason, "expected integer, got boolean");
}

TEST(JsonSchema, RequiredAndPropertiesReportThePathOfEachProblem) {
  const json schema = {{"type", "object"},
                       {"required", {"a", "b"}},
                       {"properties", {{"a", {{"type", "string"}}}, {"b/c~", {{"type", "string"}}}}}};
  EXPECT_TRUE(violations(schema, {{"a", "x"}, {"b", 1}}).empty());
  const auto found = violations(schema, {{"a", 1}, {"b/c~", 2}});
  ASSERT_EQ(found.size(), 3u) << nebula::testing::describe(found);
  EXPECT_EQ(found[0].path, "");
  EXPECT_EQ(found[0].reason, R"(missing required property "b")");
  EXPECT_EQ(found[1].path, "/a");
  EXPECT_EQ(found[2].path, "/b~1c~0") << "keys are escaped as RFC 6901 says";
}

TEST(JsonSchema, AdditionalPropertiesFalseRejectsUnlistedKeys) {
  const json schema = {{"properties", {{"a", true}}}, {"additionalProperties", false}};
  EXPECT_TRUE(violations(schema, {{"a", 1}}).empty());
  const auto v = only_violation(schema, {{"a", 1}, {"extra", 2}});
  EXPECT_EQ(v.path, "/extra");
  EXPECT_NE(v.reason.find("not allowed"), std::string::npos);
}

TEST(JsonSchema, AdditionalPropertiesSchemaChecksEveryUnlistedValue) {
  const json schema = {{"properties", {{"n", {{"type", "string"}}}}},
                       {"additionalProperties", {{"type", "integer"}, {"minimum", 0}}}};
  EXPECT_TRUE(violations(schema, {{"n", "x"}, {"testnet", 3}, {"mainnet", 0}}).empty());
  EXPECT_EQ(only_violation(schema, {{"n", "x"}, {"testnet", -1}}).path, "/testnet");
}

TEST(JsonSchema, ItemsChecksEveryItemAndMinMaxItemsCount) {
  const json schema = {{"type", "array"}, {"items", {{"type", "string"}}}, {"minItems", 1}, {"maxItems", 2}};
  EXPECT_TRUE(violations(schema, {"a", "b"}).empty());
  EXPECT_EQ(only_violation(schema, {"a", 2}).path, "/1");
  EXPECT_EQ(only_violation(schema, json::array()).reason, "must have at least 1 items, has 0");
  EXPECT_EQ(only_violation(schema, {"a", "b", "c"}).reason, "must have at most 2 items, has 3");
}

TEST(JsonSchema, EnumAndConstCompareWholeValues) {
  EXPECT_TRUE(violations({{"enum", {"low", "high"}}}, "low").empty());
  EXPECT_EQ(only_violation({{"enum", {"low", "high"}}}, "medium").reason, R"(must be one of ["low","high"], got "medium")");
  EXPECT_TRUE(violations({{"const", {1, 2}}}, {1, 2}).empty());
  EXPECT_TRUE(violations({{"const", 2}}, 2.0).empty()) << "numbers compare by value";
  EXPECT_EQ(only_violation({{"const", {1, 2}}}, {2, 1}).reason, "must be [1,2], got [2,1]");
}

TEST(JsonSchema, MinimumAndMaximumAreInclusiveAndIgnoreOtherTypes) {
  const json schema = {{"minimum", 0}, {"maximum", 1}};
  EXPECT_TRUE(violations(schema, 0).empty());
  EXPECT_TRUE(violations(schema, 1.0).empty());
  EXPECT_TRUE(violations(schema, "2").empty()) << "a range says nothing about strings";
  EXPECT_EQ(only_violation(schema, -0.5).reason, "must be >= 0, got -0.5");
  EXPECT_EQ(only_violation(schema, 1.5).reason, "must be <= 1, got 1.5");
}

TEST(JsonSchema, MinLengthCountsCharactersNotBytes) {
  const json schema = {{"minLength", 2}};
  EXPECT_TRUE(violations(schema, "ab").empty());
  EXPECT_EQ(only_violation(schema, "\xc3\xa9").reason, "must be at least 2 characters long");  // one "é"
}

TEST(JsonSchema, RefResolvesDefinitionsAndFailsThroughThem) {
  const json schema = {{"$defs", {{"count", {{"type", "integer"}, {"minimum", 0}}}}},
                       {"properties", {{"n", {{"$ref", "#/$defs/count"}}}}}};
  EXPECT_TRUE(violations(schema, {{"n", 4}}).empty());
  const auto v = only_violation(schema, {{"n", -4}});
  EXPECT_EQ(v.path, "/n");
  EXPECT_EQ(v.reason, "must be >= 0, got -4");
}

TEST(JsonSchema, AnyOfNeedsOneAlternativeAndShowsTheClosest) {
  const json schema = {{"anyOf", {{{"type", "null"}}, {{"type", "object"}, {"required", {"a", "b"}}}}}};
  EXPECT_TRUE(violations(schema, nullptr).empty());
  EXPECT_TRUE(violations(schema, {{"a", 1}, {"b", 2}}).empty());
  const auto found = violations(schema, {{"a", 1}});
  ASSERT_EQ(found.size(), 2u) << nebula::testing::describe(found);
  EXPECT_NE(found[0].reason.find("none of the 2 anyOf alternatives; the closest, #1"), std::string::npos);
  EXPECT_EQ(found[1].reason, R"(missing required property "b")");
}

TEST(JsonSchema, OneOfNeedsExactlyOneAlternative) {
  const json schema = {{"oneOf", {{{"type", "number"}}, {{"type", "integer"}}}}};
  EXPECT_TRUE(violations(schema, 1.5).empty());
  EXPECT_EQ(only_violation(schema, 2).reason, "matches oneOf alternatives #0 and #1; exactly one must match");
  EXPECT_EQ(violations(schema, "x").size(), 2u);
}

TEST(JsonSchema, FalseSchemaAllowsNothing) {
  EXPECT_EQ(only_violation({{"properties", {{"gone", false}}}}, {{"gone", 1}}).path, "/gone");
  EXPECT_TRUE(violations(true, {{"anything", 1}}).empty());
}

TEST(JsonSchema, ReportsEveryViolationNotJustTheFirst) {
  const json schema = {{"type", "array"}, {"items", {{"type", "integer"}, {"minimum", 0}}}};
  const auto found = violations(schema, {-1, "x", 2, -3});
  ASSERT_EQ(found.size(), 3u);
  EXPECT_EQ(found[0].path, "/0");
  EXPECT_EQ(found[1].path, "/1");
  EXPECT_EQ(found[2].path, "/3");
}

TEST(JsonSchema, RefusesSchemasItCannotHonour) {
  // An unknown keyword would silently pass everything it was meant to check.
  EXPECT_THROW(JsonSchema(json{{"pattern", "^a"}}), std::invalid_argument);
  EXPECT_THROW(JsonSchema(json{{"items", {{"maxLength", 3}}}}), std::invalid_argument);
  EXPECT_THROW(JsonSchema(json{{"$ref", "other.json#/x"}}), std::invalid_argument);
  EXPECT_THROW(JsonSchema(json{{"$ref", "#/$defs/missing"}}), std::invalid_argument);
  EXPECT_THROW(JsonSchema(json{{"type", "float"}}), std::invalid_argument);
  EXPECT_THROW(JsonSchema(json{{"required", "a"}}), std::invalid_argument);
  EXPECT_THROW(JsonSchema(json{{"oneOf", json::array()}}), std::invalid_argument);
  EXPECT_NO_THROW(JsonSchema(json{{"$comment", "annotations are fine"}, {"title", "t"}, {"description", "d"}}));
}

}  // namespace
