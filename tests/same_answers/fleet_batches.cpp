#include "fleet_batches.hpp"

#include <algorithm>
#include <cstdint>
#include <stdexcept>
#include <string>

#include <nebula/record_fields.hpp>
#include <nebula_sim/fleet.hpp>
#include <nebula_sim/wire.hpp>

#include "ingest/record.hpp"
#include "ingest/record_decoder.hpp"

namespace same_answers {
namespace {

// The column Runtime::batch_for adds beside the canonical ones (kLsnColumn in
// host/src/runtime/runtime.hpp, which drags in the whole runtime to include).
constexpr const char* kLsnColumn = "pool.lsn";

// Host-shaped batch of records [first, last), numbered from lsn on.
nebula::OwnedBatch host_batch(std::vector<nebula::host::Record>::const_iterator first,
                              std::vector<nebula::host::Record>::const_iterator last, uint64_t lsn) {
  auto builder = nebula::RecordBatchBuilder::canonical();
  const size_t lsn_column = builder.add_column(kLsnColumn, nebula::fields::Type::Int64);
  for (auto it = first; it != last; ++it) {
    nebula::host::append_record(builder, *it);
    builder.append_int(lsn_column, static_cast<int64_t>(lsn++));
  }
  return nebula::OwnedBatch(std::move(builder));
}

}  // namespace

nebula_sim::FleetConfig fleet_config() {
  using nebula_sim::IncidentKind;
  nebula_sim::FleetConfig cfg;
  cfg.testnet_nodes = 50;
  cfg.mainnet_nodes = 45;
  cfg.basic_nodes = 30;
  cfg.full_nodes = 30;
  cfg.simple_nodes = 25;
  cfg.seed = 15;
  cfg.sample_interval = 15;
  cfg.incidents.rate_per_node_hour = 1.0;
  const double t0 = cfg.start_time;
  // {kind, chain, nodes (none: the whole chain), start, end, magnitude (0: the kind's default)}
  cfg.incidents.scripted = {
      {IncidentKind::Partition, "testnet", {"testnet-00000", "testnet-00001", "testnet-00002", "testnet-00003"},
       t0 + 660, t0 + 960, 0},
      {IncidentKind::TxFlood, "mainnet", {}, t0 + 720, t0 + 1020, 0},
      {IncidentKind::Stall, "testnet", {"basic-00000"}, t0 + 630, t0 + 930, 0},
  };
  return cfg;
}

std::vector<nebula::OwnedBatch> fleet_batches() {
  nebula_sim::Fleet fleet(fleet_config());
  std::vector<nebula::host::Record> stream;
  std::vector<nebula_sim::SimRecord> step;
  for (int s = 0; s < kSteps; ++s) {
    fleet.step(step);
    std::string lines;
    for (const auto& r : step) lines += nebula_sim::to_wire(r).dump() + '\n';
    nebula::host::DecodeLimits limits;
    limits.now = fleet.now();  // "too far in the future" is judged on simulated time, not the wall clock
    auto decoded = nebula::host::decode_ndjson(lines, limits);
    if (!decoded.ok() || decoded.records.size() != step.size())
      throw std::runtime_error("the host's decoder refused simulated records at step " + std::to_string(s) + ": " +
                               nebula::host::error_body(decoded).dump());
    for (auto& r : decoded.records) stream.push_back(std::move(r));
  }
  std::vector<nebula::OwnedBatch> batches;
  for (size_t i = 0; i < stream.size(); i += kBatchRecords) {
    const auto first = stream.cbegin() + static_cast<std::ptrdiff_t>(i);
    const auto last = stream.cbegin() + static_cast<std::ptrdiff_t>(std::min(stream.size(), i + kBatchRecords));
    batches.push_back(host_batch(first, last, i + 1));
  }
  return batches;
}

}  // namespace same_answers
