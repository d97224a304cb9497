// The conditions of `nebula-pool test` on their own: paths, comparisons,
// counts, and what a failed one reports.
#include <gtest/gtest.h>

#include "app/pipeline_test_condition.hpp"

namespace nebula::host {
namespace {

using nlohmann::json;

JsonPath path(const std::string& text) {
  std::string why;
  auto p = JsonPath::parse(text, why);
  EXPECT_TRUE(p) << text << ": " << why;
  return p.value_or(JsonPath{});
}

Condition condition(const std::string& topic, const std::string& at, CompareOp op, json value,
                    CountRule count = {}) {
  Condition c;
  c.topic = topic;
  c.path = path(at);
  c.op = op;
  c.value = std::move(value);
  c.count = count;
  return c;
}

std::vector<ParsedInsight> insights(const std::vector<std::pair<std::string, json>>& docs) {
  std::vector<ParsedInsight> out;
  uint64_t seq = 0;
  for (const auto& [topic, doc] : docs) {
    auto in = std::make_shared<OwnedInsight>();
    in->topic = topic;
    in->source = topic == "patterns" ? "patterns" : "other";
    in->json = doc.dump();
    in->sequence = ++seq;
    out.push_back({in, doc});
  }
  return out;
}

const json kDoc = json::parse(R"({"started": [{"kind": "stall", "node_id": "a", "lag": 4},
                                              {"kind": "eclipse", "node_id": "b", "lag": 1}],
                                 "chains": {"testnet": {"tip": 10}, "mainnet": {"tip": 7}},
                                 "active": [{"nodes": ["a", "c"]}], "note": "partition of 3"})");

TEST(PipelineTestCondition, PathsSelectMembersIndexesAndEveryElement) {
  auto values = [](const std::string& p) {
    json out = json::array();
    for (const auto* v : path(p).select(kDoc)) out.push_back(*v);
    return out;
  };
  EXPECT_EQ(values("started[*].kind"), json({"stall", "eclipse"}));
  EXPECT_EQ(values("started[1].node_id"), json({"b"}));
  EXPECT_EQ(values("started[5].node_id"), json::array());
  EXPECT_EQ(values("chains[*].tip"), json({7, 10}));  // object values, in key order
  EXPECT_EQ(values("chains.testnet.tip"), json({10}));
  EXPECT_EQ(values("missing.deeper"), json::array());
  EXPECT_EQ(values(""), json({kDoc}));

  std::string why;
  EXPECT_FALSE(JsonPath::parse("started[", why));
  EXPECT_NE(why.find("unclosed '['"), std::string::npos);
  EXPECT_FALSE(JsonPath::parse("started[x]", why));
  EXPECT_FALSE(JsonPath::parse("a..b", why));
  EXPECT_FALSE(JsonPath::parse("a.", why));
}

TEST(PipelineTestCondition, ComparisonsMatchWhenAnySelectedValueCompares) {
  EXPECT_TRUE(condition("t", "started[*].kind", CompareOp::Equal, "eclipse").matches(kDoc));
  EXPECT_FALSE(condition("t", "started[*].kind", CompareOp::Equal, "partition").matches(kDoc));
  EXPECT_TRUE(condition("t", "started[*].lag", CompareOp::Greater, 3).matches(kDoc));
  EXPECT_FALSE(condition("t", "started[*].lag", CompareOp::Greater, 4).matches(kDoc));
  EXPECT_TRUE(condition("t", "started[*].lag", CompareOp::GreaterEqual, 4).matches(kDoc));
  EXPECT_TRUE(condition("t", "started[*].lag", CompareOp::Less, 2).matches(kDoc));
  EXPECT_FALSE(condition("t", "started[*].lag", CompareOp::LessEqual, 0.5).matches(kDoc));
  EXPECT_TRUE(condition("t", "chains.testnet.tip", CompareOp::Equal, 10.0).matches(kDoc));  // 10 == 10.0
  EXPECT_FALSE(condition("t", "started[*].kind", CompareOp::Less, 5).matches(kDoc));  // text and numbers do not order
  EXPECT_TRUE(condition("t", "started[*].kind", CompareOp::Less, "stamp").matches(kDoc));
  EXPECT_TRUE(condition("t", "started[*].kind", CompareOp::NotEqual, "stall").matches(kDoc));
  EXPECT_TRUE(condition("t", "active[*].nodes", CompareOp::Contains, "c").matches(kDoc));
  EXPECT_FALSE(condition("t", "active[*].nodes", CompareOp::Contains, "b").matches(kDoc));
  EXPECT_TRUE(condition("t", "active[*].nodes", CompareOp::Equal, json({"a", "c"})).matches(kDoc));
  EXPECT_TRUE(condition("t", "note", CompareOp::Contains, "partition").matches(kDoc));
  EXPECT_TRUE(condition("t", "chains", CompareOp::Contains, "mainnet").matches(kDoc));
  EXPECT_TRUE(condition("t", "chains.mainnet", CompareOp::Exists, nullptr).matches(kDoc));
  EXPECT_FALSE(condition("t", "chains.devnet", CompareOp::Exists, nullptr).matches(kDoc));
}

TEST(PipelineTestCondition, CountsAndWhatAFailureReports) {
  const auto all = insights({{"patterns", kDoc},
                             {"patterns", json::parse(R"({"started": [{"kind": "stall", "node_id": "d"}]})")},
                             {"patterns", json::parse(R"({"started": []})")},
                             {"network", json::parse(R"({"started": [{"kind": "stall"}]})")}});
  const auto stall = [&](CountRule count) {
    return judge(condition("patterns", "started[*].kind", CompareOp::Equal, "stall", count), all);
  };
  EXPECT_TRUE(stall({CompareOp::GreaterEqual, 1}).passed);
  EXPECT_TRUE(stall({CompareOp::Equal, 2}).passed);  // the network insight is on another topic
  EXPECT_FALSE(stall({CompareOp::Equal, 0}).passed);
  EXPECT_FALSE(stall({CompareOp::Greater, 2}).passed);

  const auto verdict = judge(condition("patterns", "started[*].node_id", CompareOp::Equal, "z"), all);
  EXPECT_FALSE(verdict.passed);
  EXPECT_EQ(verdict.seen, R"(0 of 3 patterns insights matched; values at started[*].node_id: "a", "b", "d")");

  const auto nothing = judge(condition("decisions", "x", CompareOp::Exists, nullptr), all);
  EXPECT_FALSE(nothing.passed);
  EXPECT_EQ(nothing.seen, "no insight on decisions; insights seen: network from other x1, patterns from patterns x3");

  Condition from_other = condition("patterns", "started[*].kind", CompareOp::Equal, "stall", {CompareOp::Equal, 0});
  from_other.source = "someone";
  EXPECT_TRUE(judge(from_other, all).passed);
  EXPECT_EQ(from_other.describe(), R"(patterns from someone: started[*].kind == "stall", count == 0)");
}

}  // namespace
}  // namespace nebula::host
