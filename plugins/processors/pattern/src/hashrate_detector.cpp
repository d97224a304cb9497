#include "nebula_pattern/hashrate_detector.hpp"

#include "nebula_pattern/severity.hpp"

namespace nebula::pattern {

HashrateDetector::Verdicts HashrateDetector::observe(const Sample& s, const State& st) const {
  Verdicts out;
  if (!present(s.hash_rate) || !st.level.ready()) return out;
  const double usual = st.level.median();
  if (!(usual > 0)) return out;  // not a miner
  out.drop = Verdict::normal();
  out.surge = Verdict::normal();
  const double ratio = s.hash_rate / usual;
  if (st.level.z(s.hash_rate, 0.05) < min_z_) return out;
  if (ratio <= config_.drop_factor) {
    out.drop.anomalous = true;
    out.drop.severity = severity_below(ratio, config_.drop_factor, 0);
    out.drop.evidence.push_back(make_evidence("blockchain.mining_hash_rate", s.hash_rate, usual));
  } else if (ratio >= config_.surge_factor) {
    out.surge.anomalous = true;
    out.surge.severity = severity_above(ratio, config_.surge_factor, 3 * config_.surge_factor);
    out.surge.evidence.push_back(make_evidence("blockchain.mining_hash_rate", s.hash_rate, usual));
  }
  return out;
}

}  // namespace nebula::pattern
