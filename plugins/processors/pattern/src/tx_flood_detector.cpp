#include "nebula_pattern/tx_flood_detector.hpp"

#include <algorithm>

#include "nebula_pattern/severity.hpp"

namespace nebula::pattern {

namespace {
// Bound on remembered points per node (samples far faster than the window).
constexpr std::size_t kMaxPoints = 512;
// Baseline takes one rate per this fraction of the window.
constexpr double kLearnSpacing = 1.0 / 6;
// Blocks gained on the tip within a window that mark a catch-up.
constexpr double kCatchUpBlocks = 2;
// Fees rising with the rate: the rule the Transaction Analyzer's defaults use.
const processors::FeeRule kFeeRule{};

// The newest tip the node reported within the rate window (this sample's
// when it has one); NaN when it reported none there.
double newest_tip_in_window(const Sample& s, const TxFloodDetector::State& st) {
  return present(st.last_tip_ts) && s.timestamp - st.last_tip_ts <= st.window ? st.last_tip : kMissing;
}

// The median tip the window's transactions paid: each sample's tip weighted
// by the transactions it added since the point before (the header says why).
// NaN when no sample in the window added transactions and carried a tip.
// Only asked when the rate crossed the threshold, so the sort is rare.
double tip_paid_in_window(const std::vector<TxFloodDetector::Point>& points) {
  std::vector<std::pair<float, double>> weighed;  // (tip, transactions)
  double total = 0;
  for (std::size_t i = 1; i < points.size(); ++i) {
    const double added = points[i].count - points[i - 1].count;
    if (!present(points[i].tip) || !(added > 0)) continue;
    weighed.emplace_back(points[i].tip, added);
    total += added;
  }
  if (weighed.empty()) return kMissing;
  std::sort(weighed.begin(), weighed.end());
  double below = 0;
  for (const auto& [tip, added] : weighed) {
    below += added;
    if (below >= total / 2) return tip;
  }
  return weighed.back().first;
}

double tip_in_window(const Sample& s, const TxFloodDetector::State& st) {
  const double paid = tip_paid_in_window(st.points);
  return present(paid) ? paid : newest_tip_in_window(s, st);
}

}  // namespace

Verdict TxFloodDetector::observe(const Sample& s, State& st, double interval, double tip) const {
  st.last_rate = kMissing;
  if (present(s.tip_gwei)) {
    st.last_tip = s.tip_gwei;
    st.last_tip_ts = s.timestamp;
  }
  if (!present(s.tx_count)) return Verdict::unknown();
  if (!st.points.empty() && s.tx_count < st.points.back().count) {
    // A restart zeroes the counter: start measuring afresh, never a negative rate.
    ++st.resets;
    st.points.clear();
    st.settling.clear();
  }
  st.points.push_back({s.timestamp, s.tx_count,
                       static_cast<float>(present(tip) && present(s.height) ? tip - s.height : kMissing),
                       static_cast<float>(s.tip_gwei)});
  st.window = std::max(config_.rate_window_s, config_.window_blocks * interval);
  // Keep the newest point that is at least a window old as the left edge.
  std::size_t old = 0;
  while (st.points.size() - old > 2 && s.timestamp - st.points[old + 1].ts >= st.window) ++old;
  old = std::max(old, st.points.size() > kMaxPoints ? st.points.size() - kMaxPoints : 0);
  st.points.erase(st.points.begin(), st.points.begin() + static_cast<std::ptrdiff_t>(old));

  const Point& first = st.points.front();
  const double span = s.timestamp - first.ts;
  // A rate over a fraction of the window (just after a restart) is too noisy to judge.
  if (span < st.window / 2 || span <= 0) return Verdict::unknown();
  const double rate = (s.tx_count - first.count) / span;
  // A node that gained on the tip during the window was replaying a backlog
  // of blocks (catching up after a stall or partition): their transactions
  // arrive all at once, which is not traffic, so do not judge it.
  const double gained = first.lag - st.points.back().lag;
  if (present(gained) && gained >= kCatchUpBlocks) return Verdict::unknown();
  st.last_rate = rate;

  if (!st.rate.ready()) {
    st.fees.hold(s.timestamp, s.tip_gwei, st.window, kFeeRule);
    return Verdict::normal();
  }
  const double usual = std::max(st.rate.median(), config_.min_rate);
  if (rate < config_.factor * usual || st.rate.z(rate, 0.1) < min_z_) {
    st.fees.hold(s.timestamp, s.tip_gwei, st.window, kFeeRule);
    return Verdict::normal();
  }
  st.fees.discard_held();  // the burst's ramp
  if (st.fees.classify(tip_in_window(s, st), kFeeRule) == processors::Demand::OrganicSurge) return Verdict::normal();

  Verdict v = Verdict::normal();
  v.anomalous = true;
  v.severity = severity_above(rate / usual, config_.factor, 4 * config_.factor);
  v.evidence.push_back(make_evidence("transaction_rate", rate, st.rate.median()));
  return v;
}

void TxFloodDetector::learn(State& st, double now, bool frozen) const {
  if (frozen) {
    st.settling.clear();
    st.fees.discard_held();
    return;
  }
  if (present(st.last_rate)) st.settling.emplace_back(now, st.last_rate);
  std::size_t settled = 0;
  for (; settled < st.settling.size() && st.settling[settled].first <= now - st.window; ++settled) {
    const auto [ts, rate] = st.settling[settled];
    if (present(st.last_learned) && ts - st.last_learned < kLearnSpacing * st.window) continue;
    st.rate.add(rate);
    st.last_learned = ts;
  }
  st.settling.erase(st.settling.begin(), st.settling.begin() + static_cast<std::ptrdiff_t>(settled));
}

}  // namespace nebula::pattern
