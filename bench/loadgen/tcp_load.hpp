// Sends workload records over TCP from a pool of connections, each node's
// records always on the same connection (so its seq order holds), either
// speaking the TCP transport's protocol (batches closed by a commit line,
// one ack awaited per batch, `retry` acks resent) or as raw NDJSON (for
// syslog-ng, which has no acks).
#pragma once

#include <cstdint>
#include <vector>

#include "workload.hpp"

namespace nebula::bench {

struct TcpLoadOptions {
  uint16_t port = 0;
  size_t connections = 8;
  size_t batch = 100;  // records per commit
  bool raw = false;    // no commit lines, no acks
  double rate = 0;     // records/s over all connections; 0 = as fast as acks allow
};

struct TcpLoadResult {
  uint64_t records = 0;   // accepted (raw: sent)
  uint64_t rejected = 0;
  uint64_t retries = 0;   // batches answered `retry` and resent
  uint64_t bytes = 0;     // record bytes incl. newline, protocol lines excluded
  double seconds = 0;     // first byte sent → last ack (raw: last byte written)
};

TcpLoadResult run_tcp_load(const std::vector<RecordLine>& lines, const TcpLoadOptions& options);

}  // namespace nebula::bench
