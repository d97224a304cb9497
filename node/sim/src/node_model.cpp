#include "node_model.hpp"

#include <algorithm>
#include <cmath>

namespace nebula_sim {
namespace {

// After an incident the node syncs at 6x real time, so a 10-minute stall is
// caught up in ~2 minutes (with visible block and cpu bursts).
constexpr double kCatchUpSpeed = 6.0;
constexpr double kEclipseFollowRate = 0.2;  // eclipsed: attacker feeds 1 block in 5
constexpr double kPeerFloor = 8.0;          // healthy nodes keep 8..50 peers
constexpr double kPeerCeiling = 50.0;
constexpr double kNormalCpuCeiling = 92.0;  // only resource_exhaustion goes above 95
constexpr double kNormalMemoryCeiling = 90.0;
constexpr double kTxBytesKb = 0.25;         // ~250-byte transactions

double round_to(double x, double scale) { return std::round(x * scale) / scale; }

}  // namespace

// Time scales (s) and spreads of the wandering metrics.
NodeDynamics::NodeDynamics(double dt)
    : peer_target(3600.0, 4.0, dt),  // peer target drifts over hours, +-4
      peers(300.0, 3.0, dt),         // peer count follows it within minutes
      latency(120.0, 0.15, dt),      // log-latency moods of a couple of minutes
      hash(600.0, 0.05, dt),         // log-hash-rate, +-5 %
      cpu(60.0, 4.0, dt),            // cpu %, +-4
      memory(600.0, 2.0, dt),        // memory %, +-2 around base + leak
      impair_decay(std::exp(-dt / 20.0)),
      restart_decay(std::exp(-dt / 60.0)),
      memory_release(std::exp(-dt / 30.0)),
      forecast_gain(1.0 - std::exp(-dt / 300.0)) {}

NodeModel::NodeModel(NodeType type, const ChainModel& chain, double start_time,
                     std::uint64_t personality_seed)
    : type_(type) {
  Rng rng(personality_seed);
  const ChainParams& p = chain.params();
  lag_ = rng.uniform(0.05, p.propagation_lag_max);
  peer_base_ = rng.uniform(12.0, 40.0);
  latency_base_ = rng.uniform(p.latency_min_ms, p.latency_max_ms);
  hash_base_ = rng.lognormal(p.hash_rate_median, 0.5);
  cpu_base_ = rng.uniform(8.0, 35.0);
  mem_base_ = rng.uniform(25.0, 55.0);
  uptime_ = rng.uniform(3600.0, 7.0 * 86400.0);
  // The counter has been running since the process started.
  tx_counter_ = static_cast<std::int64_t>(uptime_ * p.tx_rate * rng.uniform(0.9, 1.1));
  peer_target_ = peer_base_;
  peers_ = std::clamp(peer_base_ + rng.normal(0.0, 3.0), kPeerFloor, kPeerCeiling);
  memory_ = mem_base_;
  rate_forecast_ = p.tx_rate;
  height_ = chain.height_at(start_time - lag_);
}

double NodeModel::follow_rate(std::uint32_t incident_id, const Incident& incident,
                              const NodeStepContext& c) const {
  switch (incident.kind) {
    case IncidentKind::Stall: return 0.0;
    case IncidentKind::Eclipse: return kEclipseFollowRate;
    case IncidentKind::Partition: {
      // The group shares a pace (it hears only itself); members jitter around
      // it, so their heights drift apart. Hashed, not drawn: no RNG consumed.
      const std::uint64_t group = mix64(c.seed ^ mix64(incident_id + 1));
      const double pace = 0.3 * hash_unit(group);
      const double jitter = 0.2 * (hash_unit(mix64(group ^ mix64(c.index + 1))) - 0.5);
      return std::clamp(pace + jitter, 0.0, 0.4);
    }
    default: return 1.0;
  }
}

void NodeModel::advance_clock(const NodeStepContext& c) {
  // behind_ grows by (1 - follow) per second inside a height-affecting
  // incident and shrinks at the catch-up speed outside. It never grows faster
  // than time passes, so the node's view time, hence its height, is monotonic.
  double cursor = c.t_prev;
  const auto catch_up = [&](double span) {
    behind_ = std::max(0.0, behind_ - (kCatchUpSpeed - 1.0) * span);
  };
  c.book->for_each_overlapping(c.index, c.t_prev, c.t, [&](std::uint32_t id, const Incident& inc) {
    const double follow = follow_rate(id, inc, c);
    if (follow >= 1.0) return;
    const double s = std::max(inc.start, c.t_prev);
    const double e = std::min(inc.end, c.t);
    catch_up(s - cursor);
    behind_ += (1.0 - follow) * (e - s);
    cursor = e;
  });
  catch_up(c.t - cursor);
}

std::optional<double> NodeModel::step(const NodeStepContext& c, SimRecord& r) {
  const double dt = c.t - c.t_prev;
  const ChainModel& chain = *c.chain;
  const ChainParams& p = chain.params();
  Rng& rng = *c.noise;
  const NodeDynamics& d = *c.dynamics;
  const Incident* active = c.book->at(c.index, c.t);
  const auto is = [&](IncidentKind k) { return active != nullptr && active->kind == k; };

  // Restarts are routine operations, kept out of incidents and catch-up so
  // every labelled window shows exactly one cause.
  std::optional<double> restart_at;
  if (active == nullptr && behind_ == 0.0 && rng.bernoulli(c.restart_probability)) {
    restart_at = c.t - rng.uniform(0.0, dt);
  }

  // --- chain view ---------------------------------------------------------
  advance_clock(c);
  const std::int64_t h = chain.height_at(c.t - lag_ - behind_, height_);
  const std::int64_t blocks = h - height_;
  const std::int64_t block_txs = chain.cumulative_tx(h) - chain.cumulative_tx(height_);
  height_ = h;
  const bool syncing = behind_ > 0.0 && active == nullptr;

  // --- transactions --------------------------------------------------------
  // offered_rate already carries chain-wide floods; a node flood is spam aimed
  // at this node, seen on top of the canonical traffic.
  const double offered = c.offered_rate;
  const bool node_flood = is(IncidentKind::TxFlood) && !active->nodes.empty();
  const double flood = node_flood ? active->magnitude : 1.0;
  const double local_rate = offered * flood;
  std::int64_t seen_txs = block_txs;
  if (node_flood) seen_txs += rng.poisson((flood - 1.0) * offered * dt);

  if (restart_at) {
    // The counter restarts from zero: "transactions seen by this process".
    const double alive = c.t - *restart_at;
    tx_counter_ = static_cast<std::int64_t>(std::round(static_cast<double>(seen_txs) * alive / dt));
    uptime_ = alive;
    memory_ = mem_base_;
    restart_load_ = 25.0;
  } else {
    tx_counter_ += seen_txs;
    uptime_ += dt;
  }

  // --- network -------------------------------------------------------------
  peer_target_ = d.peer_target.step(peer_target_, peer_base_, rng);
  peers_ = std::clamp(d.peers.step(peers_, peer_target_, rng), kPeerFloor, kPeerCeiling);
  double peers = peers_;
  double latency_factor = 1.0;
  if (is(IncidentKind::Eclipse)) {
    peers = static_cast<double>(rng.uniform_int(0, 2));  // only attacker peers remain
    impair_ = 1.0;
    impair_latency_ = latency_factor = active->magnitude;
  } else if (is(IncidentKind::Partition)) {
    // Only the group's side stays reachable; the group shrinks peers together.
    peers = std::clamp(std::round(peers_ * 0.15 + 0.7 * rng.normal()), 1.0, 6.0);
    impair_ = 1.0;
    impair_latency_ = latency_factor = active->magnitude;
  } else if (impair_ > 0.0) {
    // Peers reconnect over ~20 s after the cause is gone.
    impair_ *= d.impair_decay;
    if (impair_ < 0.01) impair_ = 0.0;
    peers = peers_ * (1.0 - 0.9 * impair_);
    latency_factor = 1.0 + (impair_latency_ - 1.0) * impair_;
  }
  const double peer_count = std::round(peers);

  latency_noise_ = d.latency.step(latency_noise_, 0.0, rng);
  // Log-normal around the node's median: occasional slow samples, never negative.
  const double latency = latency_base_ * std::exp(latency_noise_ + 0.10 * rng.normal()) * latency_factor;

  // Gossip overhead per peer + relaying offered transactions + downloading blocks.
  const double bandwidth = (20.0 + 1.0 * peer_count + 2.5 * local_rate +
                            kTxBytesKb * static_cast<double>(block_txs) / dt) *
                           std::exp(0.08 * rng.normal());

  const double reference_latency = 0.5 * (p.latency_min_ms + p.latency_max_ms);
  const double quality = std::clamp(std::sqrt(std::min(peer_count, 16.0) / 16.0) *
                                        std::exp(-latency / (4.0 * reference_latency)) +
                                        0.02 * rng.normal(),
                                    0.0, 1.0);

  // --- mining --------------------------------------------------------------
  hash_noise_ = d.hash.step(hash_noise_, 0.0, rng);
  double hash_factor = 1.0;
  if (is(IncidentKind::HashrateDrop) || is(IncidentKind::HashrateSurge)) hash_factor = active->magnitude;
  const double hash_rate = hash_base_ * std::exp(hash_noise_ + 0.02 * rng.normal()) * hash_factor;

  // --- performance -----------------------------------------------------------
  cpu_noise_ = d.cpu.step(cpu_noise_, 0.0, rng);
  restart_load_ *= d.restart_decay;
  const double total_flood = flood * c.chain_flood;  // validating spam costs cpu
  double cpu = cpu_base_ + cpu_noise_ + 6.0 * std::log2(std::max(total_flood, 1.0)) +
               (syncing ? 20.0 : 0.0) + restart_load_;
  cpu = std::clamp(cpu, 1.0, kNormalCpuCeiling);

  if (is(IncidentKind::ResourceExhaustion)) {
    cpu = rng.uniform(95.5, 99.8);
    // Memory climbs linearly to the target over the first 40 % of the window,
    // then stays pinned there.
    const double ramp_end = active->start + 0.4 * (active->end - active->start);
    if (c.t < ramp_end) {
      memory_ += (active->magnitude - memory_) * std::min(1.0, dt / (ramp_end - c.t_prev));
    } else {
      memory_ = std::min(active->magnitude + rng.uniform(-1.0, 1.0), 99.9);
    }
  } else {
    // Slow leak since process start (+0.2 %/h, at most +10 %).
    const double target = mem_base_ + std::min(0.2 * uptime_ / 3600.0, 10.0);
    // Once the pressure is gone caches are dropped within a minute or so,
    // rather than memory idling just under the ceiling for ages.
    if (memory_ > target + 15.0) memory_ = target + (memory_ - target) * d.memory_release;
    memory_ = std::clamp(d.memory.step(memory_, target, rng), 5.0, kNormalMemoryCeiling);
  }

  // --- record ----------------------------------------------------------------
  r.current_height = height_;
  r.peer_count = static_cast<std::int64_t>(peer_count);
  if (type_ == NodeType::Basic) {
    // Minimal reporter: everything else stays zero and is not sent.
    r.blocks_processed = r.transaction_count = 0;
    r.mining_hash_rate = r.average_latency = r.bandwidth_usage = r.connection_quality = 0;
    r.cpu_usage = r.memory_usage = r.uptime = 0;
    r.transaction_analysis.reset();
    r.ai_metrics.reset();
    return restart_at;
  }
  r.blocks_processed = blocks;
  r.transaction_count = tx_counter_;
  r.mining_hash_rate = round_to(hash_rate, 1e3);
  r.average_latency = round_to(latency, 1e3);
  r.bandwidth_usage = round_to(bandwidth, 1e3);
  r.connection_quality = round_to(quality, 1e4);
  r.cpu_usage = round_to(cpu, 1e2);
  r.memory_usage = round_to(memory_, 1e2);
  r.uptime = round_to(uptime_, 1e3);
  if (type_ == NodeType::Simple) r.cpu_usage = r.memory_usage = r.uptime = 0;  // not reported

  if (type_ != NodeType::Full) {
    r.transaction_analysis.reset();
    r.ai_metrics.reset();
    return restart_at;
  }
  // Full nodes: mempool analysis and a local anomaly model that sees only
  // this node's own metrics (no ground truth leaks into it).
  const double forecast = rate_forecast_;
  rate_forecast_ += (local_rate - rate_forecast_) * d.forecast_gain;
  const std::int64_t mempool = chain.backlog() + rng.poisson(local_rate * p.block_interval * 0.5);
  TransactionAnalysis ta;
  ta.tx_rate = round_to(static_cast<double>(seen_txs) / dt, 1e3);
  ta.mempool_size = mempool;
  ta.average_fee = round_to(p.average_fee *
                                (1.0 + 2.0 * static_cast<double>(mempool) /
                                           static_cast<double>(std::max<std::int64_t>(p.block_capacity, 1))) *
                                std::exp(0.05 * rng.normal()),
                            1e9);
  ta.average_tx_size = round_to(250.0 * std::exp(0.05 * rng.normal()), 10);
  r.transaction_analysis = ta;

  const double surprise = 0.8 * std::abs(std::log(latency / latency_base_)) +
                          std::max(0.0, kPeerFloor - peer_count) / 4.0 +
                          std::max(0.0, cpu - 85.0) / 5.0 + std::max(0.0, memory_ - 85.0) / 5.0 +
                          0.3 * std::abs(std::log((local_rate + 1.0) / (forecast + 1.0)));
  const double anomaly = std::clamp(1.0 - std::exp(-surprise) + 0.02 * rng.normal(), 0.0, 1.0);
  AiMetrics ai;
  ai.anomaly_score = round_to(anomaly, 1e4);
  ai.predicted_tx_rate = round_to(forecast, 1e3);
  ai.model_confidence = round_to(std::clamp(0.92 - 0.4 * anomaly + 0.02 * rng.normal(), 0.3, 0.99), 1e4);
  r.ai_metrics = ai;
  return restart_at;
}

}  // namespace nebula_sim
