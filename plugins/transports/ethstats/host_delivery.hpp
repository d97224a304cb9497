// Handing a connection's records to the host, and what happens to those it
// refuses: the node will never send them again (ethstats has no
// redelivery), so records the host refuses for good go to the dead-letter
// file with the host's reason instead of being dropped. Runs on the submit
// threads (the host may block on its durable write).
#pragma once

#include <cstdint>
#include <string>

#include "ethstats_context.hpp"

namespace nebula::transport::ethstats {

struct Delivery {
  bool retry = false;           // the pool is full (or not durable): submit the same records again
  uint32_t retry_after_ms = 0;  // with retry
  std::string reason;           // with retry: the host's words, for a later dead letter
};

// Submits `ndjson` (`records` lines). Accepted records are counted; refused
// ones (the whole payload on INVALID, the listed lines on a partial OK) are
// dead-lettered here.
Delivery deliver(EthstatsContext& ctx, const std::string& ndjson, size_t records, const std::string& meta);

// Writes the payload to the dead-letter file; a failure to do so is logged
// as an error and counted (dead_letter_failures), the only place a record
// can be lost, and never silently.
void dead_letter(EthstatsContext& ctx, const std::string& ndjson, size_t records, const std::string& reason);

}  // namespace nebula::transport::ethstats
