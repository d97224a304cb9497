// The three agents, loaded from their real .so files and fed the real
// producers' insights in batches of 20 as the host trains them, publish their
// evidence: every document holds to its topic's schema and goes out at most
// every publish_interval_s of record time. The real Decision Optimizer, fed
// the pattern recognizer's insights and the agents', cites the agents next to
// the scripted partition's incident.
#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "producer_step.hpp"
#include "topic_contract.hpp"

namespace {

using nlohmann::json;

constexpr int kSteps = 360;  // 30 simulated minutes: past the partition's start at 20
constexpr size_t kLearnBatch = 20;

// An agent as the host runs it: insights of its topics queue up, and every
// kLearnBatch of them are one learn(); what it emits is collected.
class AgentRun {
 public:
  AgentRun(const char* library, const char* id, std::set<std::string> topics)
      : plugin_(library, id), topics_(std::move(topics)) {}

  PluginRun::Insights offer(const PluginRun::Insights& insights) {
    PluginRun::Insights published;
    for (const auto& in : insights) {
      if (!topics_.count(in.topic)) continue;
      pending_.push_back(in);
      if (pending_.size() < kLearnBatch) continue;
      EXPECT_EQ(plugin_.instance().learn(pending_), NEBULA_OK) << plugin_.instance().last_error();
      pending_.clear();
      contract_fleet::append(published, plugin_.host().insights());
      plugin_.host().clear_insights();
    }
    contract_fleet::append(all_, published);
    return published;
  }
  const PluginRun::Insights& published() const { return all_; }

 private:
  PluginRun plugin_;
  std::set<std::string> topics_;
  PluginRun::Insights pending_, all_;
};

struct Run {
  AgentRun analyst{"libnebula_agent_analyst.so", "nebula.agent.analyst", {"patterns", "learning"}};
  AgentRun resonant{"libnebula_agent_resonant.so", "nebula.agent.resonant", {"network", "learning"}};
  AgentRun archivist{"libnebula_agent_archivist.so", "nebula.agent.archivist", {"learning", "blockchain"}};
  std::vector<json> decisions;
};

const Run& run() {
  static Run* r = [] {
    auto* out = new Run;
    ProducerStep producers;
    PluginRun decision("libnebula_processor_decision.so", "nebula.processor.decision");
    for (int step = 0; step < kSteps; ++step) {
      PluginRun::Insights step_out = producers.next();
      PluginRun::Insights to_decision;
      for (const auto& in : step_out)
        if (in.topic == "patterns" || in.topic == "network" || in.topic == "blockchain") to_decision.push_back(in);
      contract_fleet::append(to_decision, out->analyst.offer(step_out));
      contract_fleet::append(to_decision, out->resonant.offer(step_out));
      contract_fleet::append(to_decision, out->archivist.offer(step_out));
      for (const auto& d : decision.feed(to_decision)) out->decisions.push_back(json::parse(d.json));
    }
    return out;
  }();
  return *r;
}

bool partitioned(const std::string& node) {
  const auto& ids = contract_fleet::kPartitioned;
  return std::find(ids.begin(), ids.end(), node) != ids.end();
}

void expect_rate_limited(const PluginRun::Insights& published, double interval_s) {
  for (size_t i = 1; i < published.size(); ++i) {
    const double before = json::parse(published[i - 1].json)["generated_at"].get<double>();
    const double now = json::parse(published[i].json)["generated_at"].get<double>();
    EXPECT_GE(now - before, interval_s) << "document " << i;
  }
}

TEST(AgentEvidenceContract, EachAgentPublishesOnItsTopicWithinItsSchemaAndInterval) {
  for (const auto* agent : {&run().analyst, &run().resonant, &run().archivist}) {
    ASSERT_TRUE(topic_contract::all_conform(agent->published()));
    expect_rate_limited(agent->published(), 10.0);  // publish_interval_s' default
  }
  EXPECT_EQ(run().analyst.published().front().topic, "anomalies");
  EXPECT_EQ(run().resonant.published().front().topic, "health");
  EXPECT_EQ(run().archivist.published().front().topic, "forecasts");
}

TEST(AgentEvidenceContract, TheAnalystScoresThePartitionedNodesHigh) {
  const double start = contract_fleet::config().start_time;
  size_t high = 0;
  for (const auto& in : run().analyst.published()) {
    const json doc = json::parse(in.json);
    EXPECT_LE(doc["nodes"].size(), 50u);
    if (doc["generated_at"].get<double>() < start + contract_fleet::kPartitionStart + 60) continue;
    for (const auto& n : doc["nodes"]) high += partitioned(n["node_id"]) && n["score"].get<double>() >= 0.7;
  }
  EXPECT_GT(high, 0u);
}

TEST(AgentEvidenceContract, TheResonantSeesThePartitionedNodesUnhealthy) {
  const double start = contract_fleet::config().start_time;
  size_t unhealthy = 0;
  for (const auto& in : run().resonant.published()) {
    const json doc = json::parse(in.json);
    if (doc["generated_at"].get<double>() < start + contract_fleet::kPartitionStart + 60) continue;
    for (const auto& n : doc["nodes"]) unhealthy += partitioned(n["node_id"]) && n["band"] != "healthy";
  }
  EXPECT_GT(unhealthy, 0u);
}

TEST(AgentEvidenceContract, TheArchivistComparesForecastsWithActualsPerChain) {
  std::set<std::string> chains;
  for (const auto& in : run().archivist.published()) {
    const json doc = json::parse(in.json);
    for (const auto& c : doc["chains"]) {
      chains.insert(c["chain_id"].get<std::string>());
      EXPECT_GT(c["running_mae"]["next_blocks"]["samples"].get<int>(), 0);
    }
  }
  EXPECT_EQ(chains, (std::set<std::string>{"mainnet", "testnet"}));
}

TEST(AgentEvidenceContract, TheDecisionOptimizerCitesTheAgentsNextToThePattern) {
  ASSERT_FALSE(run().decisions.empty());
  size_t cited = 0;
  for (const auto& doc : run().decisions) {
    ASSERT_TRUE(topic_contract::conforms("decisions", doc));
    for (const auto& r : doc["recommendations"]) {
      if (r["target_type"] != "node" || !partitioned(r["target"])) continue;
      const json& agents = r["evidence"]["agents"];
      if (r["evidence"]["incidents"].empty() || agents["analyst"].is_null() || agents["resonant"].is_null()) continue;
      EXPECT_GE(agents["analyst"]["model_version"].get<int>(), 1);
      EXPECT_GE(agents["analyst"]["age_s"].get<double>(), 0.0);
      EXPECT_NE(r["reason"].get<std::string>().find("the Resonant rates"), std::string::npos) << r.dump();
      ++cited;
    }
  }
  EXPECT_GT(cited, 0u) << "no recommendation about a partitioned node cited both the pattern and the agents";
}

}  // namespace
