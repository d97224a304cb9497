// During every labelled incident the labelled metric visibly deviates.
#include <gtest/gtest.h>

#include <string>

#include "sim_test_support.hpp"

using nebula_sim::Incident;
using nebula_sim::IncidentKind;
using nebula_sim::SimRecord;
using sim_test::between;
using sim_test::median;

namespace {

class IncidentEffects : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    run_ = new sim_test::Run(sim_test::sixty_node_config());
    run_->advance(1440);
  }
  static void TearDownTestSuite() {
    delete run_;
    run_ = nullptr;
  }

  // Records of a node inside the incident window, at least two of them.
  static std::vector<SimRecord> during(const Incident& incident, const std::string& id) {
    auto records = between(run_->of(id), incident.start, incident.end);
    EXPECT_GE(records.size(), 2u) << id;
    return records;
  }
  // The quiet cooldown just before the incident: a clean baseline.
  static std::vector<SimRecord> before(const Incident& incident, const std::string& id) {
    const double cooldown = run_->fleet.config().incidents.cooldown;
    return between(run_->of(id), incident.start - cooldown, incident.start);
  }
  // Median height of the chain's nodes outside the incident at a timestamp.
  static double others_height(const Incident& incident, double timestamp) {
    std::vector<double> heights;
    for (const auto& series : run_->series) {
      const SimRecord& first = series.front();
      if (first.chain_id != incident.chain_id) continue;
      if (std::find(incident.nodes.begin(), incident.nodes.end(), first.node_id) != incident.nodes.end()) continue;
      for (const SimRecord& r : series) {
        if (r.timestamp == timestamp) heights.push_back(static_cast<double>(r.current_height));
      }
    }
    return median(heights);
  }
  template <class Fn>
  static int for_each(IncidentKind kind, Fn&& fn) {
    int count = 0;
    for (const Incident& incident : run_->fleet.ground_truth()) {
      if (incident.kind != kind || incident.end > run_->fleet.now()) continue;
      fn(incident);
      ++count;
    }
    return count;
  }

  static sim_test::Run* run_;
};

sim_test::Run* IncidentEffects::run_ = nullptr;

double tx_rate(const std::vector<SimRecord>& records) {
  // Counter deltas, ignoring a reset (restarts may fall in the baseline).
  double txs = 0;
  for (std::size_t i = 1; i < records.size(); ++i) {
    txs += static_cast<double>(std::max<std::int64_t>(
        records[i].transaction_count - records[i - 1].transaction_count, 0));
  }
  return txs / (records.back().timestamp - records.front().timestamp);
}

}  // namespace

TEST_F(IncidentEffects, StallFreezesHeight) {
  EXPECT_GE(for_each(IncidentKind::Stall, [&](const Incident& incident) {
    const auto records = during(incident, incident.nodes.front());
    for (const SimRecord& r : records) {
      EXPECT_EQ(r.current_height, records.front().current_height) << r.node_id << " " << r.timestamp;
    }
    EXPECT_LT(records.back().current_height, others_height(incident, records.back().timestamp));
  }), 1);
}

TEST_F(IncidentEffects, EclipseCollapsesPeersRaisesLatencyAndFallsBehind) {
  EXPECT_GE(for_each(IncidentKind::Eclipse, [&](const Incident& incident) {
    const std::string& id = incident.nodes.front();
    const auto records = during(incident, id);
    std::vector<double> latency_in, latency_before;
    for (const SimRecord& r : records) {
      EXPECT_LE(r.peer_count, 2) << id << " " << r.timestamp;
      latency_in.push_back(r.average_latency);
    }
    for (const SimRecord& r : before(incident, id)) latency_before.push_back(r.average_latency);
    if (!records.front().minimal()) {
      EXPECT_GT(median(latency_in), 2.0 * median(latency_before)) << id;
    }
    EXPECT_LT(records.back().current_height, others_height(incident, records.back().timestamp)) << id;
  }), 1);
}

TEST_F(IncidentEffects, PartitionHitsAGroupTogether) {
  EXPECT_GE(for_each(IncidentKind::Partition, [&](const Incident& incident) {
    ASSERT_GE(incident.nodes.size(), 3u);
    double total_lag = 0;
    for (const std::string& id : incident.nodes) {
      const auto records = during(incident, id);
      std::vector<double> latency_in, latency_before;
      for (const SimRecord& r : records) {
        EXPECT_LE(r.peer_count, 6) << id << " " << r.timestamp;
        latency_in.push_back(r.average_latency);
      }
      for (const SimRecord& r : before(incident, id)) latency_before.push_back(r.average_latency);
      if (!records.front().minimal()) {
      EXPECT_GT(median(latency_in), 2.0 * median(latency_before)) << id;
    }
      const double lag = others_height(incident, records.back().timestamp) -
                         static_cast<double>(records.back().current_height);
      EXPECT_GE(lag, 0.0) << id;
      total_lag += lag;
    }
    EXPECT_GT(total_lag, 0.0);
  }), 1);
}

TEST_F(IncidentEffects, TxFloodMultipliesTheTransactionRate) {
  EXPECT_GE(for_each(IncidentKind::TxFlood, [&](const Incident& incident) {
    const std::string& id = incident.nodes.front();
    const auto in = during(incident, id);
    const auto base = before(incident, id);
    EXPECT_GT(tx_rate(in), 3.0 * tx_rate(base)) << id << " x" << incident.magnitude;
    std::vector<double> bw_in, bw_before;
    for (const SimRecord& r : in) bw_in.push_back(r.bandwidth_usage);
    for (const SimRecord& r : base) bw_before.push_back(r.bandwidth_usage);
    EXPECT_GT(median(bw_in), 1.5 * median(bw_before)) << id;
  }), 1);
}

TEST_F(IncidentEffects, HashrateDropAndSurge) {
  const auto check = [&](const Incident& incident, bool drop) {
    const std::string& id = incident.nodes.front();
    std::vector<double> baseline;
    for (const SimRecord& r : before(incident, id)) baseline.push_back(r.mining_hash_rate);
    const double normal = median(baseline);
    for (const SimRecord& r : during(incident, id)) {
      if (drop) {
        EXPECT_LT(r.mining_hash_rate, 0.35 * normal) << id << " " << r.timestamp;
      } else {
        EXPECT_GT(r.mining_hash_rate, 2.0 * normal) << id << " " << r.timestamp;
      }
    }
  };
  EXPECT_GE(for_each(IncidentKind::HashrateDrop, [&](const Incident& i) { check(i, true); }), 1);
  EXPECT_GE(for_each(IncidentKind::HashrateSurge, [&](const Incident& i) { check(i, false); }), 1);
}

TEST_F(IncidentEffects, ResourceExhaustionPinsCpuAndFillsMemory) {
  EXPECT_GE(for_each(IncidentKind::ResourceExhaustion, [&](const Incident& incident) {
    const std::string& id = incident.nodes.front();
    const auto records = during(incident, id);
    const double half = 0.5 * (incident.start + incident.end);
    for (const SimRecord& r : records) {
      EXPECT_GT(r.cpu_usage, 95.0) << id << " " << r.timestamp;
      if (r.timestamp >= half) {
        EXPECT_GT(r.memory_usage, 95.0) << id << " " << r.timestamp;
      }
    }
    // Climbing, not jumping: the first sample is still well below the peak.
    EXPECT_LT(records.front().memory_usage, 90.0) << id;
  }), 1);
}

TEST_F(IncidentEffects, NothingOutsideIncidentsLooksLikeExhaustion) {
  for (const auto& series : run_->series) {
    for (const SimRecord& r : series) {
      if (r.minimal() || run_->fleet.in_incident(r.node_id, r.timestamp)) continue;
      ASSERT_LE(r.cpu_usage, 95.0) << r.node_id << " " << r.timestamp;
      ASSERT_LE(r.memory_usage, 95.0) << r.node_id << " " << r.timestamp;
    }
  }
}
