// Everything the Pattern Recognizer remembers about one node.
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>

#include "nebula_pattern/episode.hpp"
#include "nebula_pattern/hashrate_detector.hpp"
#include "nebula_pattern/incident.hpp"
#include "nebula_pattern/kind.hpp"
#include "nebula_pattern/network_state.hpp"
#include "nebula_pattern/resource_detector.hpp"
#include "nebula_pattern/stall_detector.hpp"
#include "nebula_pattern/tx_flood_detector.hpp"

namespace nebula::pattern {

class ChainState;

struct NodeState {
  explicit NodeState(const BaselineConfig& c) : network(c), tx(c), hash(c), resource(c) {}

  std::string node_id;
  std::string chain_id;
  std::string node_type;
  double last_ts = -std::numeric_limits<double>::infinity();
  bool stale = false;  // silent for stale_after_s; its incidents were ended

  StallDetector::State stall;
  NetworkState network;
  TxFloodDetector::State tx;
  HashrateDetector::State hash;
  ResourceDetector::State resource;

  // One episode per kind. The Partition slot tracks this node's own
  // "degraded" symptom; the partition incident itself lives on the chain.
  std::array<Episode, kKindCount> episodes;
  // Open node incidents. Allocated only while open: an Incident is ~230
  // bytes, and nearly every node has none open, so inline slots for all
  // seven kinds were 1.6 KiB per node of empty space (issue 15).
  std::array<std::unique_ptr<Incident>, kKindCount> incidents;
  // Bit index(kind) set while incidents[index(kind)] holds one, so a scan
  // for open incidents skips a quiet node without touching its slots.
  std::uint32_t open_incidents = 0;
  void opened(Kind k) { open_incidents |= 1u << index(k); }
  void closed(Kind k) { open_incidents &= ~(1u << index(k)); }

  // The chain named chain_id while this node is one of its members (a chain
  // is erased only once it has none), else nullptr.
  ChainState* chain = nullptr;
};

}  // namespace nebula::pattern
