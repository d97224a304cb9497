// The optional `economics` record group (sdk/schemas/records/economics.schema.json)
// as processors read it from a record's extra object, and the one rule that
// tells a spam flood from an organic surge, shared by the Transaction
// Analyzer (which names the cause of a burst) and the Pattern Recognizer
// (which does not call an organic surge a tx_flood).
//
// The rule: demand that comes with rising priority fees (users bidding
// against each other for block space) is organic; a jump in transactions
// whose tips stay at the node's usual level or below is a flood of cheap
// transactions. Base fees are not the signal: they rise mechanically with
// full blocks whoever fills them.
#pragma once

#include <string_view>
#include <vector>

#include <nebula/record_extras.hpp>

#include "nebula_processors/record_sample.hpp"

namespace nebula::processors {

inline constexpr std::string_view kEconomicsGroup = "economics";

struct Economics {
  double base_fee_gwei = kMissing;
  double gas_price_gwei = kMissing;
  double tip_p10_gwei = kMissing;  // priority fee percentiles of the blocks covered
  double tip_p50_gwei = kMissing;
  double tip_p90_gwei = kMissing;
  double gas_used_ratio = kMissing;
  double mempool_pending = kMissing;
  double mempool_queued = kMissing;

  bool any() const;
};

// The group's leaves (NaN where absent); all NaN when the record has none.
Economics read_economics(const RecordExtras& extras);
// The same from the extra column's text, parsing it only when it mentions
// the group (most records carry no extras, or other ones).
Economics read_economics(std::string_view extra_text);

struct FeeRule {
  double alpha = 0.2;        // weight of the newest tip in the node's usual tip
  int warmup = 3;            // tips learned before a verdict is given
  double rise_factor = 1.5;  // fees "rose": tip >= factor x usual ...
  double floor_gwei = 0.05;  // ... and at least this much above it (a usual tip near 0)
};

enum class Demand { Unknown, SpamFlood, OrganicSurge };
const char* demand_name(Demand d);  // "unknown", "spam_flood", "organic_surge"

// A node's usual median tip, learned only from ordinary traffic (the caller
// does not feed it during a burst, so a surge's fees never become its
// yardstick).
//
// A caller whose burst test looks back over a window (the Pattern
// Recognizer's windowed rate) holds each tip back for that window: the ramp
// of a surge raises tips before the rate crosses the threshold, and tips
// learned on the ramp would make the surge look like flat fees, a flood.
// A burst discards what is held; a tip held a full window without one is
// learned, in order.
class FeeBaseline {
 public:
  void learn(double tip_gwei, const FeeRule& rule);
  // `tip_gwei` seen at `ts` in ordinary traffic; learns every held tip at
  // least `hold_s` older than `ts` first.
  void hold(double ts, double tip_gwei, double hold_s, const FeeRule& rule);
  // A burst: the held tips were its ramp and are never learned.
  void discard_held() { held_.clear(); }

  bool ready(const FeeRule& rule) const { return learned_ >= rule.warmup; }
  double usual() const { return usual_; }

  // Fee pressure: the tip against the usual one, the usual floored at
  // rule.floor_gwei; NaN before the baseline is ready or without a tip.
  double pressure(double tip_gwei, const FeeRule& rule) const;
  // The cause of a burst of transactions whose median tip is `tip_gwei`.
  Demand classify(double tip_gwei, const FeeRule& rule) const;

 private:
  struct Held {
    double ts;
    double tip_gwei;
  };
  double usual_ = 0;
  int learned_ = 0;
  // A vector, empty unless a caller holds: a handful of entries per window.
  std::vector<Held> held_;
};

}  // namespace nebula::processors
