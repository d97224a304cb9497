// Watches node identities the pool derived from a sender's address
// (ingest/node_identity.hpp) for signs that several nodes share one: the
// cumulative transaction count a node reports only grows, so a derived
// identity whose count goes backwards is several nodes (or one restarted).
// The pool cannot tell which, so it says so instead of merging silently.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace nebula::host {

class IdentityWatch {
 public:
  // `max_identities` bounds memory; past it new identities are not watched
  // (`unwatched()` counts their records; the runtime exports it as the gauge
  // nebula_ingest_identities_unwatched).
  explicit IdentityWatch(size_t max_identities = 100000) : max_(max_identities) {}

  // [thread-safe] Notes one record of a derived identity. Returns a reason
  // to tell the sender when the record contradicts the ones before it.
  std::optional<std::string> observe(const std::string& node_id, std::optional<int64_t> transaction_count);

  uint64_t unwatched() const;

 private:
  size_t max_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, int64_t> last_count_;
  uint64_t unwatched_ = 0;
};

}  // namespace nebula::host
