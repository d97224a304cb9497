// insight_subjects on constructed documents (what counts as an id, limits)
// and on every golden insight, against the paths each topic's schema puts
// node and chain ids at, listed here by hand.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <set>
#include <stdexcept>
#include <string>

#include "golden_insights.hpp"
#include "insight_subjects.hpp"

namespace nebula::sinks {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using nlohmann::json;

// The subjects of the text a DOM dumps (keys sorted, none repeated).
InsightSubjects subjects_of(const json& doc, const SubjectLimits& limits = {}) {
  auto s = insight_subjects(doc.dump(), limits);
  if (!s) throw std::logic_error("a dumped document reads back");
  return std::move(*s);
}

TEST(InsightSubjects, ReadsTheFourShapesOfId) {
  // Keys out of order: read in key order, as a DOM holds them (chains, deep, started).
  const auto s = insight_subjects(R"({
    "started": [{"node_id": "n1", "chain_id": "testnet"}, {"nodes": ["n2", "n3"], "chain_id": "mainnet"}],
    "chains": {"full": {}, "basic": {"nodes": 4}},
    "deep": {"deeper": [{"node_id": "n4"}]}
  })");
  ASSERT_TRUE(s);
  EXPECT_THAT(s->nodes, ElementsAre("n4", "n1", "n2", "n3"));
  EXPECT_THAT(s->chains, ElementsAre("basic", "full", "testnet", "mainnet"));
  EXPECT_EQ(s->left_out, 0u);
}

TEST(InsightSubjects, ReadsTheLastOfADuplicatedKeyAndRefusesWhatIsNotJson) {
  const auto s = insight_subjects(R"({"node_id": "first", "b": {"node_id": "n2"}, "node_id": "last"})");
  ASSERT_TRUE(s);
  EXPECT_THAT(s->nodes, ElementsAre("n2", "last"));  // keys b, node_id; the first node_id is overwritten
  EXPECT_FALSE(insight_subjects(R"({"node_id": "n1")"));
  EXPECT_FALSE(insight_subjects(""));
}

TEST(InsightSubjects, IgnoresValuesThatAreNotIds) {
  const auto doc = json::parse(R"({
    "node_id": 7, "chain_id": null, "nodes": [1, {"x": 1}, ""], "chains": ["testnet"],
    "stats": {"nodes": 12, "chains": 3}, "other": {"id": "n9", "chain": "mainnet"}
  })");
  const auto s = subjects_of(doc);
  EXPECT_THAT(s.nodes, IsEmpty());
  EXPECT_THAT(s.chains, IsEmpty());
}

TEST(InsightSubjects, ListsEachIdOnce) {
  const auto doc = json::parse(R"({"a": [{"node_id": "n1", "chain_id": "c"}, {"node_id": "n1", "chain_id": "c"}],
                                  "nodes": ["n1", "n2", "n2"], "chains": {"c": {}}})");
  const auto s = subjects_of(doc);
  EXPECT_THAT(s.nodes, ElementsAre("n1", "n2"));
  EXPECT_THAT(s.chains, ElementsAre("c"));
}

TEST(InsightSubjects, CountsWhatTheLimitsLeaveOut) {
  json nodes = json::array();
  for (int i = 0; i < 10; ++i) nodes.push_back("n" + std::to_string(i));
  nodes.push_back("n0");  // a repeat is not counted again
  nodes.push_back(std::string(300, 'x'));
  const json doc = {{"nodes", nodes}, {"chains", {{"a", 1}, {"b", 2}, {"c", 3}}}};
  SubjectLimits limits;
  limits.max_nodes = 4;
  limits.max_chains = 2;
  const auto s = subjects_of(doc, limits);
  EXPECT_THAT(s.nodes, ElementsAre("n0", "n1", "n2", "n3"));
  EXPECT_THAT(s.chains, ElementsAre("a", "b"));
  EXPECT_EQ(s.left_out, 6u + 1u + 1u);  // n4..n9, the 300-byte string, chain c
}

TEST(InsightSubjects, StopsAtTheDepthLimit) {
  json doc = {{"node_id", "deepest"}};
  for (int i = 0; i < 100; ++i) doc = json{{"level", doc}};
  EXPECT_THAT(subjects_of(doc).nodes, IsEmpty());
  SubjectLimits limits;
  limits.max_depth = 200;
  EXPECT_THAT(subjects_of(doc, limits).nodes, ElementsAre("deepest"));
}

// ---- every topic's real insights ------------------------------------------

struct Expected {
  std::set<std::string> nodes;
  std::set<std::string> chains;
  void node(const json& v) {
    if (v.is_string()) nodes.insert(v.get<std::string>());
  }
  void chain(const json& v) {
    if (v.is_string()) chains.insert(v.get<std::string>());
  }
  void node_list(const json& v) {
    if (v.is_array())
      for (const auto& n : v) node(n);
  }
  void chain_keys(const json& v) {
    if (v.is_object())
      for (auto it = v.begin(); it != v.end(); ++it) chains.insert(it.key());
  }
};

const json& at(const json& doc, const char* key) {
  static const json empty = json::array();
  return doc.is_object() && doc.contains(key) ? doc.at(key) : empty;
}

// Where each topic's schema (sdk/schemas/topics) puts node and chain ids.
Expected expected_subjects(const std::string& topic, const json& doc) {
  Expected e;
  if (topic == "blockchain" || topic == "network" || topic == "stream" || topic == "patterns")
    e.chain_keys(at(doc, "chains"));
  if (topic == "blockchain") {
    for (const auto& [chain, facts] : at(doc, "chains").items())
      for (const char* list : {"stalled", "worst_lagging", "bursts", "top_nodes"})
        for (const auto& item : at(facts, list)) e.node(at(item, "node_id"));
  }
  if (topic == "network") {
    for (const auto& [chain, facts] : at(doc, "chains").items()) {
      for (const auto& item : at(facts, "isolated")) e.node(at(item, "node_id"));
      for (const auto& item : at(facts, "partitions")) e.node_list(at(item, "nodes"));
    }
  }
  if (topic == "patterns") {
    for (const char* list : {"active", "started", "ended"})
      for (const auto& incident : at(doc, list)) {
        e.node(at(incident, "node_id"));
        e.node_list(at(incident, "nodes"));
        e.chain(at(incident, "chain_id"));
      }
  }
  if (topic == "intelligence") {
    for (const char* list : {"chains", "comparisons"})
      for (const auto& item : at(doc, list)) e.chain(at(item, "chain_id"));
  }
  if (topic == "memory") {
    for (const auto& item : at(doc, "chains")) e.chain(at(item, "chain_id"));
    for (const auto& item : at(doc, "deviating_nodes")) {
      e.node(at(item, "node_id"));
      e.chain(at(item, "chain_id"));
    }
  }
  if (topic == "decisions") {
    for (const auto& item : at(doc, "chain_observations")) e.chain(at(item, "chain_id"));
    for (const auto& item : at(doc, "recommendations")) {
      e.chain(at(item, "chain_id"));
      e.node(at(item, "node_id"));
      e.node_list(at(at(item, "evidence"), "nodes"));
    }
  }
  if (topic == "learning") {
    for (const auto& item : at(doc, "examples")) {
      e.node(at(item, "node_id"));
      e.chain(at(item, "chain_id"));
    }
  }
  return e;
}

class SubjectsOfTopic : public ::testing::TestWithParam<std::string> {};

TEST_P(SubjectsOfTopic, MatchTheSchemaPathsOnEveryGoldenInsight) {
  const auto insights = testing::golden_of_topic(GetParam());
  ASSERT_FALSE(insights.empty());
  size_t nodes_seen = 0;
  for (size_t i = 0; i < insights.size(); ++i) {
    const auto s = subjects_of(insights[i].doc);
    const Expected e = expected_subjects(GetParam(), insights[i].doc);
    EXPECT_EQ(std::set<std::string>(s.nodes.begin(), s.nodes.end()), e.nodes) << insights[i].processor << " #" << i;
    EXPECT_EQ(std::set<std::string>(s.chains.begin(), s.chains.end()), e.chains) << insights[i].processor << " #" << i;
    EXPECT_EQ(s.nodes.size(), e.nodes.size()) << "no repeats";
    EXPECT_EQ(s.left_out, 0u);
    nodes_seen += s.nodes.size();
  }
  // The run has incidents on every chain: each topic that lists nodes names some.
  if (GetParam() != "stream" && GetParam() != "intelligence") {
    EXPECT_GT(nodes_seen, 0u);
  }
}

INSTANTIATE_TEST_SUITE_P(Golden, SubjectsOfTopic,
                         ::testing::Values("blockchain", "network", "stream", "patterns", "intelligence", "memory",
                                           "decisions", "learning"));

}  // namespace
}  // namespace nebula::sinks
