// The default random plan: every kind shows up, incidents are well formed.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <sstream>
#include <string>

#include "sim_test_support.hpp"

using nebula_sim::Incident;
using nebula_sim::IncidentKind;

namespace {

// One shared 2-hour run of the 60-node fleet with the default plan.
const sim_test::Run& two_hour_run() {
  static const sim_test::Run run = [] {
    sim_test::Run r(sim_test::sixty_node_config());
    r.advance(1440);
    return r;
  }();
  return run;
}

}  // namespace

TEST(IncidentPlan, EveryKindAppearsInTwoHoursOfSixtyNodes) {
  std::map<IncidentKind, int> seen;
  for (const Incident& incident : two_hour_run().fleet.ground_truth()) ++seen[incident.kind];
  for (IncidentKind kind : nebula_sim::kAllIncidentKinds) {
    EXPECT_GE(seen[kind], 1) << nebula_sim::to_string(kind);
  }
}

TEST(IncidentPlan, EveryKindAppearsForOtherSeedsToo) {
  // The shuffled-bag scheduler guarantees coverage, not luck.
  for (std::uint64_t seed : {1u, 2u, 3u, 77u}) {
    nebula_sim::Fleet fleet(sim_test::sixty_node_config(seed));
    for (int s = 0; s < 1440; ++s) fleet.step();
    std::set<IncidentKind> seen;
    for (const Incident& incident : fleet.ground_truth()) seen.insert(incident.kind);
    EXPECT_EQ(seen.size(), nebula_sim::kAllIncidentKinds.size()) << "seed " << seed;
  }
}

TEST(IncidentPlan, IncidentsAreWellFormedAndNeverOverlapOnANode) {
  const auto& run = two_hour_run();
  const auto& config = run.fleet.config();
  std::map<std::string, std::vector<const Incident*>> by_node;
  for (const Incident& incident : run.fleet.incidents()) {
    const double duration = incident.end - incident.start;
    EXPECT_GE(duration, config.incidents.min_duration);
    EXPECT_LE(duration, config.incidents.max_duration);
    EXPECT_GE(incident.start, config.start_time + config.incidents.warmup);
    if (incident.kind == IncidentKind::Partition) {
      EXPECT_GE(incident.nodes.size(), 3u);
    } else {
      EXPECT_EQ(incident.nodes.size(), 1u);
    }
    for (const std::string& id : incident.nodes) {
      const auto& info = run.fleet.nodes()[run.index_of(id)];
      EXPECT_EQ(info.chain_id, incident.chain_id) << id;
      if (info.type == nebula_sim::NodeType::Basic) {
        // Basic nodes do not report what the other kinds change.
        EXPECT_TRUE(incident.kind == IncidentKind::Stall || incident.kind == IncidentKind::Eclipse ||
                    incident.kind == IncidentKind::Partition);
      }
      by_node[id].push_back(&incident);
    }
  }
  for (auto& [id, list] : by_node) {
    std::sort(list.begin(), list.end(), [](auto* a, auto* b) { return a->start < b->start; });
    for (std::size_t i = 1; i < list.size(); ++i) {
      EXPECT_GE(list[i]->start, list[i - 1]->end + config.incidents.cooldown) << id;
    }
  }
}

TEST(IncidentPlan, InIncidentLabelsMatchTheIncidentList) {
  const auto& fleet = two_hour_run().fleet;
  for (const Incident& incident : fleet.ground_truth()) {
    for (const std::string& id : incident.nodes) {
      IncidentKind kind{};
      EXPECT_TRUE(fleet.in_incident(id, incident.start, &kind));
      EXPECT_EQ(kind, incident.kind);
      EXPECT_TRUE(fleet.in_incident(id, 0.5 * (incident.start + incident.end)));
      EXPECT_FALSE(fleet.in_incident(id, incident.end));
      EXPECT_FALSE(fleet.in_incident(id, incident.start - 1.0));
      EXPECT_EQ(fleet.incident_at(id, incident.start)->start, incident.start);
    }
  }
  EXPECT_FALSE(fleet.in_incident("no-such-node", fleet.now()));
}

TEST(IncidentPlan, GroundTruthJsonlParses) {
  const auto& fleet = two_hour_run().fleet;
  const auto truth = fleet.ground_truth();
  std::istringstream lines(nebula_sim::incidents_to_jsonl(truth));
  std::string line;
  std::size_t count = 0;
  double last_start = 0;
  while (std::getline(lines, line)) {
    const auto j = nlohmann::json::parse(line);
    const Incident& incident = truth.at(count++);
    EXPECT_EQ(j.at("kind").get<std::string>(), nebula_sim::to_string(incident.kind));
    EXPECT_EQ(j.at("chain_id"), incident.chain_id);
    EXPECT_EQ(j.at("start").get<double>(), incident.start);
    EXPECT_EQ(j.at("end").get<double>(), incident.end);
    EXPECT_EQ(j.at("nodes").get<std::vector<std::string>>(), incident.nodes);
    if (incident.nodes.size() == 1) {
      EXPECT_EQ(j.at("node_id"), incident.nodes.front());
    } else {
      EXPECT_TRUE(j.at("node_id").is_null());
    }
    EXPECT_LE(j.at("start").get<double>(), fleet.now());
    EXPECT_GE(j.at("start").get<double>(), last_start);  // sorted by start
    last_start = j.at("start").get<double>();
  }
  EXPECT_EQ(count, truth.size());
  EXPECT_GE(count, 10u);
}
