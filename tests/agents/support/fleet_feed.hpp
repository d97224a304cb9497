// Realistic agent input for tests: the deterministic fleet simulator's
// records pushed through the REAL processor logic the pool runs upstream of
// the agents (Pattern Recognizer -> `patterns`, Network Monitor -> `network`,
// Learning Engine -> `learning` training_examples, with the pattern flags fed
// to the Learning Engine as in the pipeline). One fleet step = one record batch.
#pragma once

#include <cmath>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include <nebula_sim/fleet.hpp>
#include <nebula_sim/fleet_builder.hpp>
#include <nlohmann/json.hpp>

#include "learning_config.hpp"
#include "nebula_agents/agent_inputs.hpp"
#include "learning_engine.hpp"
#include "nebula_pattern/pattern_engine.hpp"
#include "network_monitor.hpp"

namespace nebula::agents::testing {

// (topic, document) as an agent's learn() receives them.
using TopicDoc = std::pair<std::string, nlohmann::json>;

// The processors a pool runs upstream of the agents, fed with records:
// one instance per host when hosts split the fleet between them.
class FleetProcessors {
 public:
  // `learning`: the learning processor's config (its defaults when empty).
  explicit FleetProcessors(const nlohmann::json& learning = nlohmann::json::object())
      : patterns_(nebula::pattern::PatternConfig::parse(nlohmann::json::object())),
        network_(nebula::network_monitor::parse_config(nlohmann::json::object())),
        learning_(nebula::learning::parse_config(learning)) {}

  // One fleet step's records through the processors: the `patterns`,
  // `network` and `learning` insights it produced, in that order.
  std::vector<TopicDoc> process(const std::vector<nebula_sim::SimRecord>& records) {
    std::vector<TopicDoc> out;
    std::vector<nebula::pattern::Sample> ps;
    std::vector<nebula::learning::Sample> ls;
    for (const auto& r : records) {
      ps.push_back(pattern_sample(r));
      ls.push_back(learning_sample(r));
      network_.observe(network_sample(r));
    }
    const auto report = patterns_.process(std::move(ps));
    const std::string patterns_text = nebula::pattern::to_text(report, 500);
    learning_.on_patterns(patterns_text, "pattern");
    out.emplace_back("patterns", nlohmann::json::parse(patterns_text));
    if (auto net = network_.take_insight()) out.emplace_back("network", std::move(*net));
    for (const auto& text : learning_.insights(learning_.ingest(ls)))
      out.emplace_back("learning", nlohmann::json::parse(text));
    return out;
  }

 private:
  static constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

  static nebula::pattern::Sample pattern_sample(const nebula_sim::SimRecord& r) {
    nebula::pattern::Sample s;
    s.timestamp = r.timestamp;
    s.node_id = r.node_id;
    s.chain_id = r.chain_id;
    s.node_type = std::string(nebula_sim::to_string(r.node_type));
    s.height = static_cast<double>(r.current_height);
    s.peers = static_cast<double>(r.peer_count);
    if (!r.minimal()) {
      s.tx_count = static_cast<double>(r.transaction_count);
      s.hash_rate = r.mining_hash_rate;
      s.latency_ms = r.average_latency;
      s.cpu = r.cpu_usage;
      s.memory = r.memory_usage;
    }
    return s;
  }

  static nebula::learning::Sample learning_sample(const nebula_sim::SimRecord& r) {
    nebula::learning::Sample s;
    s.timestamp = r.timestamp;
    s.node_id = r.node_id;
    s.node_type = std::string(nebula_sim::to_string(r.node_type));
    s.chain_id = r.chain_id;
    s.height = static_cast<double>(r.current_height);
    s.peers = static_cast<double>(r.peer_count);
    if (!r.minimal()) {
      s.blocks_processed = static_cast<double>(r.blocks_processed);
      s.tx_count = static_cast<double>(r.transaction_count);
      s.hash_rate = r.mining_hash_rate;
      s.latency_ms = r.average_latency;
      s.bandwidth = r.bandwidth_usage;
      s.connection_quality = r.connection_quality;
      s.cpu = r.cpu_usage;
      s.memory = r.memory_usage;
    }
    return s;
  }

  static nebula::network_monitor::NetworkSample network_sample(const nebula_sim::SimRecord& r) {
    nebula::network_monitor::NetworkSample s;
    s.timestamp = r.timestamp;
    s.node_id = r.node_id;
    s.chain_id = r.chain_id;
    s.peer_count = static_cast<double>(r.peer_count);
    if (!r.minimal()) {
      s.latency_ms = r.average_latency;
      s.bandwidth = r.bandwidth_usage;
      s.connection_quality = r.connection_quality;
    }
    return s;
  }

  nebula::pattern::PatternEngine patterns_;
  nebula::network_monitor::NetworkMonitor network_;
  nebula::learning::LearningEngine learning_;
};

// A simulated fleet seen by one pool (every node through one set of processors).
class FleetFeed {
 public:
  explicit FleetFeed(const nebula_sim::FleetConfig& cfg, const nlohmann::json& learning = nlohmann::json::object())
      : fleet_(cfg), processors_(learning) {}

  // One fleet step through the processors (see FleetProcessors::process).
  std::vector<TopicDoc> step() { return processors_.process(fleet_.step()); }

  const nebula_sim::Fleet& fleet() const { return fleet_; }

 private:
  nebula_sim::Fleet fleet_;
  FleetProcessors processors_;
};

// A batch as an agent's learn() reads the host's texts (agents::read_agent_inputs):
// `other_topic` by `read_other` (a DOM unless the agent reads it itself), the
// rest as training examples.
template <class ReadOther = decltype(&dom_of)>
auto agent_inputs(const std::vector<TopicDoc>& docs, std::string_view other_topic, ReadOther read_other = &dom_of) {
  using Other = typename std::invoke_result_t<ReadOther&, std::string_view>::value_type;
  std::vector<AgentInput<Other>> out;
  for (const auto& [topic, doc] : docs)
    if (auto in = read_agent_input(topic, doc.dump(), other_topic, read_other)) out.push_back(std::move(*in));
  return out;
}

// The training examples a learning document holds, read as the agents read them.
inline std::vector<TrainingExample> examples_of(const nlohmann::json& doc) {
  auto batch = read_training_examples(doc.dump());
  return batch ? std::move(batch->examples) : std::vector<TrainingExample>{};
}

// Only the topics an agent subscribes to.
inline std::vector<TopicDoc> only(const std::vector<TopicDoc>& docs, std::initializer_list<const char*> topics) {
  std::vector<TopicDoc> out;
  for (const auto& d : docs)
    for (const char* t : topics)
      if (d.first == t) out.push_back(d);
  return out;
}

// A standard mixed fleet (testnet, mainnet, basic and full nodes).
inline nebula_sim::FleetConfig small_fleet(uint64_t seed, double incident_rate = 0.25) {
  return nebula_sim::FleetBuilder()
      .nodes({.testnet = 10, .mainnet = 10, .basic = 6, .full = 6})
      .seed(seed)
      .incident_rate(incident_rate)
      .build();
}

}  // namespace nebula::agents::testing
