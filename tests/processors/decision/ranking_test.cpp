#include <gtest/gtest.h>

#include "nebula_decision/recommendation.hpp"

namespace nebula::decision {
namespace {

Recommendation rec(Action a, const std::string& target, double score, const char* source, const char* id) {
  Recommendation r;
  r.action = a;
  r.target = target;
  r.score = score;
  r.reason = std::string(source) + " says so";
  r.since = score * 100;
  r.evidence = {{"incidents", nlohmann::json::array({{{"id", id}}})}, {"sources", {source}}};
  return r;
}

TEST(Ranking, DeduplicatesByActionAndTargetAndCorroborates) {
  std::size_t dropped = 0;
  auto out = rank({rec(Action::Resync, "n1", 0.6, "patterns", "a"), rec(Action::Resync, "n1", 0.5, "block_data", "b"),
                   rec(Action::Investigate, "n1", 0.65, "patterns", "c")},
                  10, &dropped);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(dropped, 0u);
  EXPECT_EQ(out[0].action, Action::Resync) << "0.6 + corroboration 0.1 outranks 0.65";
  EXPECT_NEAR(out[0].score, 0.7, 1e-9);
  EXPECT_EQ(out[0].reason, "patterns says so") << "the stronger signal explains";
  EXPECT_EQ(out[0].evidence["incidents"].size(), 2u);
  EXPECT_EQ(out[0].evidence["sources"], (nlohmann::json{"patterns", "block_data"}));
  EXPECT_DOUBLE_EQ(out[0].since, 50);
  EXPECT_EQ(out[0].rank, 1);
  EXPECT_EQ(out[1].rank, 2);
}

TEST(Ranking, SameSourceTwiceIsNoCorroboration) {
  auto out = rank({rec(Action::AddPeers, "n", 0.5, "patterns", "a"), rec(Action::AddPeers, "n", 0.4, "patterns", "b")},
                  10, nullptr);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_DOUBLE_EQ(out[0].score, 0.5);
}

// An incident's metrics are shared until published (recommendation.hpp): a
// merge keeps them as it keeps any other evidence key, and to_json cites them.
TEST(Ranking, MergedCandidatesCiteTheStrongerOnesIncidentMetricsElseTheOthers) {
  auto metrics = [](double v) {
    return std::make_shared<const nlohmann::json>(nlohmann::json::array({{{"metric", "m"}, {"value", v}}}));
  };
  Recommendation strong = rec(Action::Resync, "n1", 0.6, "patterns", "a");
  Recommendation weak = rec(Action::Resync, "n1", 0.5, "patterns", "b");
  strong.metrics = metrics(1);
  weak.metrics = metrics(2);
  Recommendation bare = rec(Action::AddPeers, "n2", 0.7, "patterns", "c");
  Recommendation cited = rec(Action::AddPeers, "n2", 0.4, "patterns", "d");
  cited.metrics = metrics(3);
  auto out = rank({weak, strong, cited, bare}, 10, nullptr);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(to_json(out[0])["evidence"]["metrics"][0]["value"], 3) << "the stronger has none: the other's";
  EXPECT_EQ(to_json(out[1])["evidence"]["metrics"][0]["value"], 1) << "the stronger's";
  EXPECT_FALSE(to_json(rec(Action::Resync, "n3", 0.5, "network", "e"))["evidence"].contains("metrics"));
}

TEST(Ranking, CutAtTheBoundWithDeterministicTies) {
  std::vector<Recommendation> many;
  for (int i = 0; i < 20; ++i) many.push_back(rec(Action::Investigate, "n" + std::to_string(i % 10), 0.5, "patterns", "x"));
  std::size_t dropped = 0;
  auto out = rank(many, 4, &dropped);
  ASSERT_EQ(out.size(), 4u);
  EXPECT_EQ(dropped, 6u);
  EXPECT_EQ(out[0].target, "n0");
  EXPECT_EQ(out[3].target, "n3");
}

}  // namespace
}  // namespace nebula::decision

#include "nebula_decision/incident_history.hpp"

namespace nebula::decision {
namespace {

TEST(IncidentHistory, CountsOncePerIdWithinTheWindowAndStaysBounded) {
  IncidentHistory h(2);
  h.record("a", "s1", "stall", 100);
  h.record("a", "s1", "stall", 100);  // reported again: same incident
  h.record("a", "e1", "eclipse", 200);
  h.record("a", "r1", "resource_exhaustion", 250);
  auto all = [](const std::string&) { return true; };
  EXPECT_EQ(h.recent("a", 300, 1000, all), (std::map<std::string, int>{{"eclipse", 1}, {"resource_exhaustion", 1}, {"stall", 1}}));
  EXPECT_EQ(h.recent("a", 300, 150, all).count("stall"), 0u) << "outside the window";
  h.record("b", "x", "stall", 1);
  h.record("c", "y", "stall", 1);  // evicts a, the least recently updated
  EXPECT_EQ(h.size(), 2u);
  EXPECT_EQ(h.evictions(), 1u);
  EXPECT_TRUE(h.recent("a", 300, 1000, all).empty());
}

}  // namespace
}  // namespace nebula::decision
