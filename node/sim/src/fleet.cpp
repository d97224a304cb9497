#include "nebula_sim/fleet.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "chain_model.hpp"
#include "incident_book.hpp"
#include "incident_planner.hpp"
#include "node_model.hpp"
#include "node_roster.hpp"

namespace nebula_sim {
namespace {

// Sub-stream ids for derive_seed: each consumer of randomness has its own.
enum Stream : std::uint64_t { kChainStream = 1, kNodeStream, kNoiseStream, kPlanStream };

constexpr double kChainHistory = 3600.0;  // blocks mined before start_time
constexpr std::int64_t kTrimEvery = 64;   // steps between chain history trims

void validate(const FleetConfig& c) {
  const auto positive = [](double v) { return std::isfinite(v) && v > 0.0; };
  if (!positive(c.sample_interval)) throw std::invalid_argument("fleet: sample_interval must be > 0");
  if (!std::isfinite(c.start_time)) throw std::invalid_argument("fleet: start_time must be finite");
  if (!(c.restart_rate_per_node_hour >= 0.0)) {
    throw std::invalid_argument("fleet: restart_rate_per_node_hour must be >= 0");
  }
  for (const ChainParams* p : {&c.testnet, &c.mainnet}) {
    if (!positive(p->block_interval) || !(p->tx_rate >= 0.0) || p->block_capacity <= 0 ||
        !(p->diurnal_amplitude >= 0.0 && p->diurnal_amplitude < 1.0) ||
        !(p->latency_min_ms > 0.0 && p->latency_max_ms >= p->latency_min_ms) ||
        !positive(p->hash_rate_median) || !(p->propagation_lag_max >= 0.05)) {
      throw std::invalid_argument("fleet: bad chain parameters for '" + p->chain_id + "'");
    }
  }
  const IncidentPlan& plan = c.incidents;
  if (plan.random && (!(plan.rate_per_node_hour >= 0.0) || !positive(plan.min_duration) ||
                      !(plan.max_duration >= plan.min_duration) || !(plan.cooldown >= 0.0) ||
                      !(plan.warmup >= 0.0))) {
    throw std::invalid_argument("fleet: bad incident plan");
  }
}

}  // namespace

struct Fleet::Impl {
  explicit Impl(FleetConfig cfg)
      : config((validate(cfg), std::move(cfg))),
        roster(config),
        chains{ChainModel(config.testnet, derive_seed(config.seed, kChainStream, 0),
                          config.start_time - kChainHistory),
               ChainModel(config.mainnet, derive_seed(config.seed, kChainStream, 1),
                          config.start_time - kChainHistory)},
        book(roster),
        planner(config.incidents, roster, derive_seed(config.seed, kPlanStream), config.start_time),
        noise(derive_seed(config.seed, kNoiseStream)),
        dynamics(config.sample_interval) {
    for (const Incident& incident : config.incidents.scripted) {
      const std::uint32_t id = book.add_checked(incident);
      const Incident& booked = book.all()[id];
      if (booked.kind == IncidentKind::TxFlood && booked.nodes.empty()) {
        chains[*roster.chain_index(booked.chain_id)].add_flood(booked.start, booked.end,
                                                               booked.magnitude);
      }
    }
    for (ChainModel& chain : chains) chain.generate_until(config.start_time);
    models.reserve(roster.size());
    for (std::uint32_t i = 0; i < roster.size(); ++i) {
      models.emplace_back(roster.node(i).type, chains[roster.chain_of(i)], config.start_time,
                          derive_seed(config.seed, kNodeStream, i));
    }
    planner.plan_until(config.start_time + IncidentPlanner::kChunk, book);
  }

  // Computed, not accumulated, so a long run has no floating-point drift.
  double time_at(std::int64_t step) const {
    return config.start_time + static_cast<double>(step) * config.sample_interval;
  }

  FleetConfig config;
  NodeRoster roster;
  ChainModel chains[kChainCount];
  IncidentBook book;
  IncidentPlanner planner;
  Rng noise;
  NodeDynamics dynamics;
  std::vector<NodeModel> models;
  std::vector<NodeRestart> restarts;
  std::int64_t steps = 0;
};

Fleet::Fleet(FleetConfig config) : impl_(std::make_unique<Impl>(std::move(config))) {}
Fleet::~Fleet() = default;
Fleet::Fleet(Fleet&&) noexcept = default;
Fleet& Fleet::operator=(Fleet&&) noexcept = default;

std::vector<SimRecord> Fleet::step() {
  std::vector<SimRecord> out;
  step(out);
  return out;
}

void Fleet::step(std::vector<SimRecord>& out) {
  Impl& m = *impl_;
  const double t_prev = m.time_at(m.steps);
  const double t = m.time_at(m.steps + 1);
  // Keep at least an hour of schedule ahead, so in_incident() can label
  // records the caller has not produced yet.
  m.planner.plan_until(t + IncidentPlanner::kChunk, m.book);
  for (ChainModel& chain : m.chains) chain.generate_until(t);

  const double restart_probability =
      1.0 - std::exp(-m.config.restart_rate_per_node_hour * m.config.sample_interval / 3600.0);
  NodeStepContext ctx;
  ctx.t_prev = t_prev;
  ctx.t = t;
  ctx.book = &m.book;
  ctx.noise = &m.noise;
  ctx.dynamics = &m.dynamics;
  double offered[kChainCount];
  double chain_flood[kChainCount];
  for (std::size_t c = 0; c < kChainCount; ++c) {
    offered[c] = m.chains[c].offered_rate(t);
    chain_flood[c] = m.chains[c].flood_multiplier(t);
  }
  ctx.restart_probability = restart_probability;
  ctx.seed = m.config.seed;

  std::int64_t lowest[kChainCount] = {INT64_MAX, INT64_MAX};
  out.resize(m.roster.size());
  for (std::uint32_t i = 0; i < m.roster.size(); ++i) {
    const NodeInfo& info = m.roster.node(i);
    const std::uint8_t chain = m.roster.chain_of(i);
    SimRecord& r = out[i];
    r.timestamp = t;
    r.node_id = info.id;
    r.node_type = info.type;
    r.chain_id = info.chain_id;
    r.seq = m.steps;  // every node samples every step
    ctx.index = i;
    ctx.chain = &m.chains[chain];
    ctx.offered_rate = offered[chain];
    ctx.chain_flood = chain_flood[chain];
    if (auto restart = m.models[i].step(ctx, r)) m.restarts.push_back({info.id, *restart});
    lowest[chain] = std::min(lowest[chain], m.models[i].height());
  }
  ++m.steps;

  if (m.steps % kTrimEvery == 0) {
    for (std::size_t c = 0; c < kChainCount; ++c) {
      if (lowest[c] != INT64_MAX) m.chains[c].trim_below(lowest[c]);
    }
  }
}

double Fleet::now() const { return impl_->time_at(impl_->steps); }
std::int64_t Fleet::steps_taken() const { return impl_->steps; }
const FleetConfig& Fleet::config() const { return impl_->config; }
const std::vector<NodeInfo>& Fleet::nodes() const { return impl_->roster.nodes(); }
const std::vector<Incident>& Fleet::incidents() const { return impl_->book.all(); }
const std::vector<NodeRestart>& Fleet::restarts() const { return impl_->restarts; }

std::vector<Incident> Fleet::ground_truth() const {
  const double t = now();
  std::vector<Incident> started;
  for (const Incident& incident : impl_->book.all()) {
    if (incident.start <= t) started.push_back(incident);
  }
  std::stable_sort(started.begin(), started.end(),
                   [](const Incident& a, const Incident& b) { return a.start < b.start; });
  return started;
}

const Incident* Fleet::incident_at(std::string_view node_id, double t) const {
  const auto index = impl_->roster.find(node_id);
  return index ? impl_->book.at(*index, t) : nullptr;
}

bool Fleet::in_incident(std::string_view node_id, double t, IncidentKind* kind) const {
  const Incident* incident = incident_at(node_id, t);
  if (incident != nullptr && kind != nullptr) *kind = incident->kind;
  return incident != nullptr;
}

std::int64_t Fleet::chain_height(std::string_view chain_id) const {
  const auto c = impl_->roster.chain_index(chain_id);
  return c ? impl_->chains[*c].tip_height() : -1;
}

}  // namespace nebula_sim
