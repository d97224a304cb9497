// End-to-end latency under load: while a paced background load runs, a
// probe record is sent every 1/probe_hz s on its own TCP connection, with a
// chain_id of its own ("bench-probe-<k>"). The block_data processor reports
// every chain of a batch in its `blockchain` insight, so the probe is
// "visible" once /api/v1/pool/insights?topic=blockchain names its chain.
#pragma once

#include <cstdint>
#include <vector>

#include "tcp_load.hpp"

namespace nebula::bench {

struct LatencyOptions {
  TcpLoadOptions load;     // background load (rate > 0)
  uint16_t admin_port = 0;
  double probe_hz = 20;
  double probe_timeout_s = 10;
};

struct LatencyResult {
  TcpLoadResult load;
  std::vector<double> ack_ms;      // probe sent → accepted ack (queued)
  std::vector<double> visible_ms;  // probe sent → insight visible on the admin API
  uint64_t lost = 0;               // probes never seen within probe_timeout_s
};

LatencyResult run_latency(const std::vector<RecordLine>& lines, const LatencyOptions& options);

}  // namespace nebula::bench
