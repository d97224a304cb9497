#include "stream_windower.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace nebula::data_stream {
namespace {

constexpr std::string_view kUnknownChain = "unknown";
constexpr char kKeySeparator = '\x1f';

}  // namespace

StreamWindower::StreamWindower(Config config)
    : config_(std::move(config)), nodes_(config_.max_nodes), chains_(config_.max_chains) {}

StreamWindower::Outcome StreamWindower::observe(const StreamSample& s) {
  if (s.node_id.empty() || !std::isfinite(s.timestamp)) {
    ++totals_.skipped;
    return Outcome::Skipped;
  }
  const std::string_view chain_id = s.chain_id.empty() ? kUnknownChain : s.chain_id;
  generated_at_ = std::max(generated_at_.value_or(s.timestamp), s.timestamp);

  if (!chains_.find(chain_id))
    if (auto* victim = chains_.next_victim())  // its windows are summarised, not lost
      close_until(victim->first, victim->second, std::numeric_limits<double>::infinity());
  ChainStreams& chain = chains_.touch(chain_id);

  if (s.seq) {
    key_.assign(chain_id).push_back(kKeySeparator);
    key_.append(s.node_id);
    const bool known = nodes_.find(key_) != nullptr;
    SeqDedup& dedup = nodes_.touch(key_);
    if (!known) dedup = SeqDedup(config_.dedup_window);
    switch (dedup.check(*s.seq, s.timestamp)) {
      case SeqDedup::Verdict::Stale:
        ++totals_.stale_seqs;
        [[fallthrough]];
      case SeqDedup::Verdict::Duplicate:
        ++totals_.duplicates;
        tally_window(chain, s.timestamp).count_duplicate();
        close_until(chain_id, chain, chain.newest - config_.allowed_lateness_s);
        return Outcome::Duplicate;
      case SeqDedup::Verdict::Restart:
        ++totals_.seq_restarts;
        break;
      case SeqDedup::Verdict::New:
        break;
    }
  }

  if (chain.started && s.timestamp < chain.newest - config_.allowed_lateness_s) {
    ++totals_.late;
    WindowAggregate& w = tally_window(chain, s.timestamp);
    w.count_late();
    if (config_.late_policy == LatePolicy::Tally) w.add_late(s);
    close_until(chain_id, chain, chain.newest - config_.allowed_lateness_s);
    return Outcome::Late;
  }

  ++totals_.accepted;
  chain.newest = chain.started ? std::max(chain.newest, s.timestamp) : s.timestamp;
  chain.started = true;
  window_at(chain, s.timestamp).add(s);
  close_until(chain_id, chain, chain.newest - config_.allowed_lateness_s);
  return Outcome::Accepted;
}

WindowAggregate& StreamWindower::window_at(ChainStreams& chain, double time) {
  const auto index = static_cast<int64_t>(std::floor(time / config_.window_s));
  auto it = chain.open.find(index);
  if (it == chain.open.end()) {
    const double start = static_cast<double>(index) * config_.window_s;
    it = chain.open.emplace(index, WindowAggregate(start, start + config_.window_s, config_.max_nodes)).first;
  }
  return it->second;
}

// Where a duplicate or late sample is counted: its own window while that is
// still open, else the oldest open one (so the count is reported soon), else
// a window of its own that closes at once.
WindowAggregate& StreamWindower::tally_window(ChainStreams& chain, double time) {
  const auto index = static_cast<int64_t>(std::floor(time / config_.window_s));
  if (auto it = chain.open.find(index); it != chain.open.end()) return it->second;
  if (!chain.open.empty()) return chain.open.begin()->second;
  return window_at(chain, time);
}

void StreamWindower::close_until(std::string_view chain_id, ChainStreams& chain, double watermark) {
  // A window [start, end) is complete once the watermark reaches its end:
  // anything older than the watermark is late by definition.
  while (!chain.open.empty() && chain.open.begin()->second.end() <= watermark) {
    push_closed(chain_id, std::move(chain.open.begin()->second));
    chain.open.erase(chain.open.begin());
  }
}

void StreamWindower::push_closed(std::string_view chain_id, WindowAggregate&& window) {
  if (pending_.size() >= kMaxPendingWindows) {
    pending_.pop_front();
    ++totals_.dropped_windows;
  }
  pending_.push_back({std::string(chain_id), std::move(window)});
}

void StreamWindower::close_all() {
  for (auto& [chain_id, chain] : chains_) close_until(chain_id, chain, std::numeric_limits<double>::infinity());
}

size_t StreamWindower::open_windows() const {
  size_t n = 0;
  for (const auto& [chain_id, chain] : chains_) n += chain.open.size();
  return n;
}

std::optional<nlohmann::json> StreamWindower::pending_insight() const {
  if (pending_.empty()) return std::nullopt;
  std::map<std::string, std::vector<const ClosedWindow*>> by_chain;
  for (const auto& c : pending_) by_chain[c.chain_id].push_back(&c);
  nlohmann::json chains = nlohmann::json::object();
  const bool tally = config_.late_policy == LatePolicy::Tally;
  for (auto& [chain_id, closed] : by_chain) {
    std::stable_sort(closed.begin(), closed.end(), [](const ClosedWindow* a, const ClosedWindow* b) {
      return a->window.start() < b->window.start();
    });
    nlohmann::json windows = nlohmann::json::array();
    for (const auto* c : closed) windows.push_back(c->window.to_json(tally));
    chains[chain_id] = {{"windows", std::move(windows)}};
  }
  return nlohmann::json{
      {"kind", "window"},
      {"generated_at", generated_at_ ? nlohmann::json(*generated_at_) : nlohmann::json(nullptr)},
      {"window_s", config_.window_s},
      {"allowed_lateness_s", config_.allowed_lateness_s},
      {"late_policy", tally ? "tally" : "drop"},
      {"chains", std::move(chains)},
      {"totals",
       {{"accepted", totals_.accepted},
        {"duplicates", totals_.duplicates},
        {"stale_seqs", totals_.stale_seqs},
        {"late", totals_.late},
        {"seq_restarts", totals_.seq_restarts},
        {"skipped", totals_.skipped},
        {"dropped_windows", totals_.dropped_windows}}},
      {"state",
       {{"nodes", nodes_.size()},
        {"chains", chains_.size()},
        {"open_windows", open_windows()},
        {"evicted_nodes", nodes_.evictions()},
        {"evicted_chains", chains_.evictions()}}},
  };
}

}  // namespace nebula::data_stream
