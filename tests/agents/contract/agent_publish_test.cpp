// How an agent publishes (plugins/agents/common evidence_publisher): after a
// learn() that concluded something new, at most every publish_interval_s of
// record time, at most publish_max_nodes nodes; a full downstream is counted
// and logged once, never an error of learn(), and the evidence waits for the
// next learn(). Shown on the real Analyst .so; the three agents share the code.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "producer_step.hpp"

namespace {

using nlohmann::json;

// The Analyst's inputs for `steps` fleet steps, in batches of 20.
std::vector<PluginRun::Insights> analyst_batches(int steps) {
  ProducerStep producers;
  std::vector<PluginRun::Insights> batches(1);
  for (int i = 0; i < steps; ++i)
    for (auto& in : producers.next()) {
      if (in.topic != "learning" && in.topic != "patterns") continue;
      if (batches.back().size() == 20) batches.emplace_back();
      batches.back().push_back(std::move(in));
    }
  return batches;
}

PluginRun::Insights only(const PluginRun::Insights& batch, const std::string& topic) {
  PluginRun::Insights out;
  for (const auto& in : batch)
    if (in.topic == topic) out.push_back(in);
  return out;
}

PluginRun::Insights learn(PluginRun& agent, const PluginRun::Insights& batch) {
  EXPECT_EQ(agent.instance().learn(batch), NEBULA_OK) << agent.instance().last_error();
  auto out = agent.host().insights();
  agent.host().clear_insights();
  return out;
}

TEST(AgentPublish, WithNoIntervalEveryLearnThatScoredSomethingPublishesOnce) {
  PluginRun analyst("libnebula_agent_analyst.so", "nebula.agent.analyst", R"({"publish_interval_s": 0})");
  for (const auto& batch : analyst_batches(30)) {
    const auto learning = only(batch, "learning");
    const auto patterns = only(batch, "patterns");
    if (!patterns.empty()) {
      EXPECT_TRUE(learn(analyst, patterns).empty()) << "patterns alone score nothing";
    }
    if (!learning.empty()) {
      EXPECT_EQ(learn(analyst, learning).size(), 1u);
    }
  }
}

TEST(AgentPublish, AFullDownstreamIsCountedAndLoggedOnceAndTheEvidenceWaits) {
  PluginRun analyst("libnebula_agent_analyst.so", "nebula.agent.analyst", R"({"publish_interval_s": 0})");
  const auto batches = analyst_batches(60);
  ASSERT_GE(batches.size(), 4u);
  analyst.host().set_full(true);
  for (size_t i = 0; i + 1 < batches.size(); ++i) EXPECT_TRUE(learn(analyst, batches[i]).empty());
  const double attempts = static_cast<double>(batches.size() - 1);
  EXPECT_EQ(analyst.host().counter("publish_failed"), attempts);
  size_t warnings = 0;
  for (const auto& line : analyst.host().logs())
    warnings += line.level == NEBULA_LOG_WARN && line.message.find("'anomalies'") != std::string::npos;
  EXPECT_EQ(warnings, 1u);

  analyst.host().set_full(false);
  const auto published = learn(analyst, batches.back());
  ASSERT_EQ(published.size(), 1u);
  const json doc = json::parse(published[0].json);
  EXPECT_EQ(doc["counts"]["scored"], analyst.instance().stats()["nodes_tracked"])
      << "the nodes scored while downstream was full are still in it";
  EXPECT_EQ(analyst.host().counter("published"), 1.0);
}

TEST(AgentPublish, AtMostPublishMaxNodesAreListedHighestScoreFirst) {
  PluginRun analyst("libnebula_agent_analyst.so", "nebula.agent.analyst",
                    R"({"publish_interval_s": 0, "publish_max_nodes": 3})");
  size_t documents = 0;
  for (const auto& batch : analyst_batches(30))
    for (const auto& in : learn(analyst, batch)) {
      ++documents;
      const json doc = json::parse(in.json);
      ASSERT_EQ(doc["nodes"].size(), 3u);
      EXPECT_EQ(doc["counts"]["listed"], 3);
      EXPECT_GT(doc["counts"]["scored"].get<int>(), 3);
      for (size_t i = 1; i < 3; ++i) EXPECT_GE(doc["nodes"][i - 1]["score"], doc["nodes"][i]["score"]);
    }
  EXPECT_GT(documents, 0u);
}

TEST(AgentPublish, EveryAgentValidatesThePublishKeys) {
  for (const auto& [library, id] : std::vector<std::pair<std::string, std::string>>{
           {"libnebula_agent_analyst.so", "nebula.agent.analyst"},
           {"libnebula_agent_resonant.so", "nebula.agent.resonant"},
           {"libnebula_agent_archivist.so", "nebula.agent.archivist"}}) {
    SCOPED_TRACE(id);
    nebula::testing::PluginLibrary lib(std::string(NEBULA_PLUGIN_DIR) + "/" + library);
    const auto* desc = lib.find(id);
    char err[NEBULA_ERROR_CAP] = {0};
    EXPECT_EQ(desc->validate_config(R"({"publish_interval_s": 0, "publish_max_nodes": 5})", err, sizeof err), NEBULA_OK)
        << err;
    EXPECT_EQ(desc->validate_config(R"({"publish_interval_s": -1})", err, sizeof err), NEBULA_INVALID);
    EXPECT_NE(std::string(err).find("/publish_interval_s"), std::string::npos) << err;
    EXPECT_EQ(desc->validate_config(R"({"publish_max_nodes": 0})", err, sizeof err), NEBULA_INVALID);
    EXPECT_NE(std::string(err).find("/publish_max_nodes"), std::string::npos) << err;
  }
}

}  // namespace
