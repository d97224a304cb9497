// Fee pressure and mempool backlog per chain, from the nodes' `economics`
// group (nebula_processors/economics.hpp): what each node reported last in a
// batch, against its own usual tip, folded into one chain summary.
#pragma once

#include <cstddef>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include <nebula_processors/economics.hpp>

namespace nebula::transaction_analyzer {

// What the analyzer remembers of one node's fee market between batches.
struct NodeFees {
  processors::FeeBaseline baseline;  // its usual median tip, learned outside bursts
  double last_pending = processors::kMissing;
};

// One node's latest report in the batch, with the figures derived from it.
struct FeeReport {
  processors::Economics economics;
  double usual_tip_gwei = processors::kMissing;  // NaN until the baseline is ready
  double pressure = processors::kMissing;        // tip / usual tip
  double mempool_growth = processors::kMissing;  // pending change since the node's previous report
};

// Builds the report for `economics` and moves the node's mempool memory on.
FeeReport fee_report(const processors::Economics& economics, NodeFees& node, const processors::FeeRule& rule);

// The chain's `economics` summary: means of the nodes' latest base fee, tip
// and gas used ratio, the highest fee pressure, the largest mempool (nodes of
// one network share it, so a sum would count it again), and the nodes
// listed highest fee pressure first, at most `max_listed`.
nlohmann::json fee_summary(const std::map<std::string, FeeReport>& reports, std::size_t max_listed);

}  // namespace nebula::transaction_analyzer
