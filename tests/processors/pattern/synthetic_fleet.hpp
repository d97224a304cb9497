// Constructed test data with known answers: a handful of nodes on the two
// chains, sampled every 5 s, with mild deterministic noise, and knobs a test
// turns to inject exactly one anomaly at a known time.
#pragma once

#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "nebula_pattern/sample.hpp"

namespace nebula::pattern::testing {

struct NodeKnobs {
  std::string id;
  std::string chain;        // "testnet" or "mainnet"
  double peers = 12;
  double latency_ms = 60;
  double tx_rate = 10;      // tx/s
  double hash_rate = 100;
  double cpu_pct = 40;
  double memory_pct = 50;
  bool stalled = false;     // height frozen
  bool reset_counter = false;  // next step: transaction_count restarts from 0
  bool basic = false;       // reports only height and peers
};

class SyntheticFleet {
 public:
  static constexpr double kStart = 1'767'225'600.0;
  static constexpr double kStep = 5.0;

  SyntheticFleet(int testnet, int mainnet, std::uint32_t seed = 1) : rng_(seed) {
    for (int i = 0; i < testnet; ++i) add("t" + std::to_string(i), "testnet");
    for (int i = 0; i < mainnet; ++i) add("m" + std::to_string(i), "mainnet");
  }

  NodeKnobs& add(const std::string& id, const std::string& chain) {
    nodes_.push_back({id, chain});
    state_.push_back({});
    return nodes_.back();
  }
  NodeKnobs& node(std::size_t i) { return nodes_[i]; }
  NodeKnobs& node(const std::string& id) {
    for (auto& n : nodes_)
      if (n.id == id) return n;
    throw std::out_of_range(id);
  }
  double now() const { return now_; }

  // Advances 5 s; one sample per node, all stamped with the new time.
  std::vector<Sample> step() {
    now_ += kStep;
    std::vector<Sample> out;
    for (std::size_t i = 0; i < nodes_.size(); ++i) {
      NodeKnobs& k = nodes_[i];
      State& st = state_[i];
      const double block = k.chain == "testnet" ? 5.0 : 30.0;
      const double chain_height = (k.chain == "testnet" ? 1'000'000 : 500'000) + std::floor((now_ - kStart) / block);
      if (!k.stalled) st.height = chain_height;
      if (k.reset_counter) {
        st.tx = 0;
        k.reset_counter = false;
      }
      st.tx += std::round(k.tx_rate * kStep * (1 + noise(0.2)));
      Sample s;
      s.timestamp = now_;
      s.node_id = k.id;
      s.chain_id = k.chain;
      s.node_type = k.basic ? "basic" : k.chain;
      s.height = st.height;
      s.peers = std::max(0.0, std::round(k.peers * (1 + noise(0.1))));
      if (!k.basic) {
        s.tx_count = st.tx;
        s.hash_rate = k.hash_rate * (1 + noise(0.05));
        s.latency_ms = k.latency_ms * (1 + noise(0.15));
        s.cpu = std::min(100.0, k.cpu_pct + 100 * noise(0.05));
        s.memory = std::min(100.0, k.memory_pct + 100 * noise(0.02));
      }
      out.push_back(std::move(s));
    }
    return out;
  }

 private:
  struct State {
    double height = 0;
    double tx = 1000;
  };
  // Uniform in [-amp, amp] from a fixed LCG: same seed, same data.
  double noise(double amp) {
    rng_ = rng_ * 1664525u + 1013904223u;
    return amp * (2.0 * (rng_ >> 8) / double(1u << 24) - 1.0);
  }

  std::uint32_t rng_;
  double now_ = kStart;
  std::vector<NodeKnobs> nodes_;
  std::vector<State> state_;
};

}  // namespace nebula::pattern::testing
