// One stream entry from Redis to the pool: lease it, submit it, and settle
// it by the host's verdict. The rule that keeps "nothing lost": an entry is
// acknowledged (XACK) only once the host has it in its write-ahead log
// (verdict OK) or in its dead-letter file; otherwise it stays pending in the
// consumer group, where this consumer re-reads it or another one claims it.
// A claim can only take an entry idle for claim_idle_ms, and the lease
// resets that clock right before the submit: claim_idle_ms must stay well
// above the longest submit, or a slow host and the claimer both process it.
#pragma once

#include <stop_token>
#include <string>
#include <vector>

#include <nebula/host.hpp>

#include "redis_connection.hpp"
#include "redis_server_config.hpp"
#include "redis_server_stream.hpp"

namespace nebula::redis {

enum class Outcome {
  kAcked,    // in the host's log or dead-letter file, and acknowledged
  kSkipped,  // another consumer has it now, or it is settled already
  kKept,     // left pending (the dead-letter file failed): comes back later
  kStopped,  // stop() interrupted a retry wait; still pending
};

class EntryProcessor {
 public:
  EntryProcessor(Host host, const ServerConfig& cfg, Connection& conn);

  // Redis failures throw (ConnectionError, ReplyError) and leave the entry
  // pending; an acknowledgement that could not be sent is owed (below).
  // Retries RETRY/IO verdicts on the same entry until they pass: the next
  // entry of the shard must not overtake it (per-node order).
  Outcome process(const StreamEntry& entry, std::stop_token stop);

  // Sends the acknowledgements a lost connection interrupted, so entries the
  // host already has are not submitted again. Throws like process().
  void settle_owed();

 private:
  Outcome dead_letter_and_ack(const StreamEntry& entry, const std::string& format, const std::string& reason);
  void ack_or_owe(const StreamEntry& entry);
  std::string meta(const StreamEntry& entry) const;

  Host host_;
  const ServerConfig& cfg_;
  Connection& conn_;
  struct Owed {
    std::string key, id;
  };
  std::vector<Owed> owed_;  // submitted (or dead-lettered), not yet acknowledged
};

}  // namespace nebula::redis
