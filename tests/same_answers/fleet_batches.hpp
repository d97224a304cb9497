// The fixed simulator run the same-answers test replays, as the record
// batches the host would hand its processors.
#pragma once

#include <cstddef>

#include <vector>

#include <nebula/arrow_batch.hpp>
#include <nebula_sim/fleet_config.hpp>

namespace same_answers {

// Host-sized batches: pool.batch_max_records of config/pipeline.yaml.
inline constexpr std::size_t kBatchRecords = 100;

// 180 nodes of every type on both chains (so batches straddle fleet steps, as
// they do in the host), seed 15, a sample every 15 s, random incidents of
// every kind plus scripted ones: a testnet partition, a chain-wide mainnet
// flood, a basic node's stall. Small on purpose: learning's training examples
// make up most of the golden file, and it has to stay under ~2 MB.
nebula_sim::FleetConfig fleet_config();

// Simulated steps (18 minutes): past the 10-minute warm-up of random
// incidents, through the scripted ones and a few dozen random ones.
inline constexpr int kSteps = 72;

// Every record of kSteps steps, sent as a node sends it (the simulator's
// wire JSON), decoded by the host's own decoder and cut into kBatchRecords
// batches in arrival order, each with the canonical columns plus `pool.lsn`,
// exactly as Runtime::batch_for builds them. Throws if the host's decoder
// refuses a record.
std::vector<nebula::OwnedBatch> fleet_batches();

}  // namespace same_answers
