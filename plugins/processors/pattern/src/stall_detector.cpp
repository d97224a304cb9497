#include "nebula_pattern/stall_detector.hpp"

#include <algorithm>

#include "nebula_pattern/severity.hpp"

namespace nebula::pattern {

Verdict StallDetector::observe(const Sample& s, State& st, const ChainTip& tip, double interval, bool open) const {
  if (!present(s.height)) return Verdict::unknown();
  // Any change of height is progress; a decrease (reorg, resync from
  // scratch) restarts the clock rather than counting as a stall.
  if (!present(st.height) || s.height != st.height) {
    st.height = s.height;
    st.advanced_at = s.timestamp;
    st.behind_since = kMissing;
  }
  const double behind = present(tip.height) ? tip.height - s.height : 0;
  const bool tip_moved_on = present(tip.advanced_at) && tip.advanced_at > st.advanced_at;
  if (behind > 0 && tip_moved_on && !present(st.behind_since)) st.behind_since = s.timestamp;
  const double silent = s.timestamp - st.advanced_at;
  const bool stuck = silent >= config_.intervals * interval && tip_moved_on;
  const bool still_behind = open && behind > std::max(config_.min_lag_blocks, 1.0);
  if (!(stuck || still_behind) || behind < config_.min_lag_blocks) return Verdict::normal();

  Verdict v = Verdict::normal();
  v.anomalous = true;
  const double intervals = silent / interval;
  v.severity = severity_above(intervals, config_.intervals, 4 * config_.intervals);
  v.start_hint = st.behind_since;
  v.evidence.push_back(make_evidence("blockchain.current_height", s.height, tip.height));
  v.evidence.push_back(make_evidence("seconds_without_progress", silent, interval));
  return v;
}

}  // namespace nebula::pattern
