#include "workload.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

#include <nebula_sim/fleet.hpp>
#include <nebula_sim/wire.hpp>

namespace nebula::bench {
namespace {

nebula_sim::Fleet make_fleet(const WorkloadOptions& o) {
  nebula_sim::FleetConfig cfg;
  // 4:4:1:1 like `nebula-node simulate`, every node type present when nodes >= 4.
  cfg.basic_nodes = std::max<size_t>(o.nodes / 10, o.nodes >= 4);
  cfg.full_nodes = std::max<size_t>(o.nodes / 10, o.nodes >= 4);
  cfg.mainnet_nodes = (o.nodes - cfg.basic_nodes - cfg.full_nodes) / 2;
  cfg.testnet_nodes = o.nodes - cfg.basic_nodes - cfg.full_nodes - cfg.mainnet_nodes;
  cfg.seed = o.seed;
  using namespace std::chrono;
  const double end = o.end_time > 0 ? o.end_time : std::floor(duration<double>(system_clock::now().time_since_epoch()).count());
  cfg.start_time = end - cfg.sample_interval * static_cast<double>(o.steps);
  return nebula_sim::Fleet(cfg);
}

}  // namespace

std::vector<RecordLine> record_lines(const WorkloadOptions& o) {
  auto fleet = make_fleet(o);
  std::vector<RecordLine> out;
  out.reserve(o.nodes * o.steps);
  std::vector<nebula_sim::SimRecord> step;
  for (size_t s = 0; s < o.steps; ++s) {
    fleet.step(step);
    for (size_t n = 0; n < step.size(); ++n) {
      step[n].node_id.insert(0, o.prefix);
      out.push_back({static_cast<uint32_t>(n), nebula_sim::to_wire(step[n]).dump()});
    }
  }
  return out;
}

std::vector<std::string> batch_documents(const WorkloadOptions& o, size_t batch) {
  auto fleet = make_fleet(o);
  // Per node, its records in seq order; cut into batches of `batch`.
  std::vector<std::vector<nebula_sim::SimRecord>> per_node(o.nodes);
  std::vector<nebula_sim::SimRecord> step;
  for (size_t s = 0; s < o.steps; ++s) {
    fleet.step(step);
    for (size_t n = 0; n < step.size(); ++n) {
      step[n].node_id.insert(0, o.prefix);
      per_node[n].push_back(step[n]);
    }
  }
  std::vector<std::string> docs;
  for (auto& records : per_node)
    for (size_t i = 0; i < records.size(); i += batch) {
      const std::span<const nebula_sim::SimRecord> part(records.data() + i, std::min(batch, records.size() - i));
      docs.push_back(nebula_sim::batch_json(part.front().node_id, part).dump());
    }
  return docs;
}

std::string ndjson(const std::vector<RecordLine>& lines, size_t first, size_t count) {
  std::string out;
  const size_t end = std::min(lines.size(), first + std::min(count, lines.size()));
  for (size_t i = first; i < end; ++i) out.append(lines[i].json).push_back('\n');
  return out;
}

}  // namespace nebula::bench
