#include "incident_planner.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

namespace nebula_sim {
namespace {

constexpr int kTriesPerNode = 24;  // random probes for a free node before giving up

double round_to(double x, double scale) { return std::round(x * scale) / scale; }

}  // namespace

IncidentPlanner::IncidentPlanner(const IncidentPlan& plan, const NodeRoster& roster,
                                 std::uint64_t seed, double start_time)
    : plan_(plan), roster_(roster), rng_(seed), start_time_(start_time) {
  plan_.scripted.clear();  // the Fleet books those; keep the copy small
  for (std::size_t k = 0; k < kAllIncidentKinds.size(); ++k) {
    for (std::uint32_t n = 0; n < roster_.size(); ++n) {
      if (kind_applies_to(kAllIncidentKinds[k], roster_.node(n).type)) eligible_[k].push_back(n);
    }
  }
}

void IncidentPlanner::plan_until(double horizon, IncidentBook& book) {
  if (!plan_.random || plan_.kinds.empty() || roster_.size() == 0) return;
  for (;;) {
    const double from = start_time_ + static_cast<double>(chunks_planned_) * kChunk;
    if (from >= horizon) return;
    plan_chunk(std::max(from, start_time_ + plan_.warmup), from + kChunk, book);
    ++chunks_planned_;
  }
}

void IncidentPlanner::plan_chunk(double from, double to, IncidentBook& book) {
  if (to <= from) return;
  const double expected = plan_.rate_per_node_hour * static_cast<double>(roster_.size()) *
                          (to - from) / 3600.0;
  const std::int64_t count = rng_.poisson(expected);
  std::vector<double> starts(static_cast<std::size_t>(count));
  for (double& s : starts) s = std::floor(rng_.uniform(from, to));  // whole seconds read better
  std::sort(starts.begin(), starts.end());
  for (double start : starts) {
    const double duration = std::round(rng_.uniform(plan_.min_duration, plan_.max_duration));
    place_any(start, start + duration, book);
  }
}

void IncidentPlanner::refill_bag() {
  bag_ = plan_.kinds;
  // Fisher-Yates with our own uniform_int: std::shuffle is not portable.
  for (std::size_t i = bag_.size(); i > 1; --i) {
    const auto j = static_cast<std::size_t>(rng_.uniform_int(0, static_cast<std::int64_t>(i) - 1));
    std::swap(bag_[i - 1], bag_[j]);
  }
}

bool IncidentPlanner::place_any(double start, double end, IncidentBook& book) {
  // Shuffled bag: every kind once per round, so rare kinds are guaranteed to
  // show up. A kind that does not fit now stays in the bag for the next slot.
  for (int round = 0; round < 2; ++round) {
    if (bag_.empty() || round == 1) refill_bag();
    for (std::size_t i = 0; i < bag_.size(); ++i) {
      if (place(bag_[i], start, end, book)) {
        bag_.erase(bag_.begin() + static_cast<std::ptrdiff_t>(i));
        return true;
      }
    }
  }
  return false;
}

double IncidentPlanner::draw_magnitude(IncidentKind kind) {
  switch (kind) {
    case IncidentKind::Stall: return 0.0;
    case IncidentKind::Eclipse: return round_to(rng_.uniform(3.0, 5.0), 1000);
    case IncidentKind::Partition: return round_to(rng_.uniform(3.0, 6.0), 1000);
    case IncidentKind::TxFlood: return round_to(rng_.uniform(5.0, 20.0), 1000);
    case IncidentKind::HashrateDrop: return round_to(rng_.uniform(0.15, 0.25), 1000);
    case IncidentKind::HashrateSurge: return round_to(rng_.uniform(2.6, 3.4), 1000);
    case IncidentKind::ResourceExhaustion: return round_to(rng_.uniform(96.5, 99.0), 1000);
  }
  return 1.0;
}

bool IncidentPlanner::place(IncidentKind kind, double start, double end, IncidentBook& book) {
  if (kind == IncidentKind::Partition) return place_partition(start, end, book);
  const std::vector<std::uint32_t>& pool = eligible_[static_cast<std::size_t>(kind)];
  if (pool.empty()) return false;
  for (int attempt = 0; attempt < kTriesPerNode; ++attempt) {
    const std::uint32_t n =
        pool[static_cast<std::size_t>(rng_.uniform_int(0, static_cast<std::int64_t>(pool.size()) - 1))];
    if (!book.is_free(n, start, end, plan_.cooldown)) continue;
    Incident incident;
    incident.kind = kind;
    incident.chain_id = roster_.node(n).chain_id;
    incident.nodes = {roster_.node(n).id};
    incident.start = start;
    incident.end = end;
    incident.magnitude = draw_magnitude(kind);
    book.add(std::move(incident), {n});
    return true;
  }
  return false;
}

bool IncidentPlanner::place_partition(double start, double end, IncidentBook& book) {
  // Every node type reports peers and height, so any node of one chain can be cut off.
  std::vector<std::size_t> chains;
  for (std::size_t c = 0; c < kChainCount; ++c) {
    if (roster_.members(c).size() >= 3) chains.push_back(c);
  }
  if (chains.empty()) return false;
  const std::size_t chain =
      chains[static_cast<std::size_t>(rng_.uniform_int(0, static_cast<std::int64_t>(chains.size()) - 1))];
  const std::vector<std::uint32_t>& pool = roster_.members(chain);
  const auto want = static_cast<std::size_t>(
      rng_.uniform_int(3, std::min<std::int64_t>(6, static_cast<std::int64_t>(pool.size()))));

  std::vector<std::uint32_t> group;
  for (int attempt = 0; attempt < kTriesPerNode * 3 && group.size() < want; ++attempt) {
    const std::uint32_t n =
        pool[static_cast<std::size_t>(rng_.uniform_int(0, static_cast<std::int64_t>(pool.size()) - 1))];
    if (std::find(group.begin(), group.end(), n) != group.end()) continue;
    if (book.is_free(n, start, end, plan_.cooldown)) group.push_back(n);
  }
  if (group.size() < 3) return false;
  std::sort(group.begin(), group.end());

  Incident incident;
  incident.kind = IncidentKind::Partition;
  incident.chain_id = roster_.node(group.front()).chain_id;
  for (std::uint32_t n : group) incident.nodes.push_back(roster_.node(n).id);
  incident.start = start;
  incident.end = end;
  incident.magnitude = draw_magnitude(IncidentKind::Partition);
  book.add(std::move(incident), group);
  return true;
}

}  // namespace nebula_sim
