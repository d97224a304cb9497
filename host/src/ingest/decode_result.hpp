// What decoding one ingest payload produced: the valid records, and every
// problem found, addressed by entry index and field so a sender can fix it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "ingest/record.hpp"

namespace nebula::host {

struct RecordError {
  int index = -1;      // entry in the batch (line for NDJSON); -1 = the payload itself
  std::string field;   // dotted field name as the sender wrote it; "" = the entry/payload
  std::string reason;  // "must be a non-negative integer", ...

  bool operator==(const RecordError&) const = default;
};

// A record accepted with something the sender should know (no known metric).
struct RecordWarning {
  int index = -1;      // entry in the batch (line for NDJSON)
  std::string reason;  // "no known metric found; unknown groups: stats, health"

  bool operator==(const RecordWarning&) const = default;
};

// What the transport knows of who sent a payload (submit_payload's meta):
// lets a single contribution without a node_id get a stable identity.
struct Sender {
  std::string node_id;  // authenticated node, X-Nebula-Node header or TCP hello; "" = none
  std::string peer;     // "127.0.0.1:5555", "[::1]:5555", "file:/spool/a.jsonl"; "" = unknown
};

// Where a payload's node identity came from (docs/transports.md, "Node identity").
enum class IdentitySource { Payload, Sender, Derived };

struct DecodeLimits {
  size_t max_records = 10000;      // entries per payload
  size_t max_extra_bytes = 16384;  // serialized unknown fields, per record
  size_t max_string = 256;         // characters in node_id, node_type, chain_id
  size_t max_extra_depth = 32;     // nesting of one unknown value (bounds recursion)
  size_t max_errors = 1000;        // errors kept; further ones are only counted
  double max_future_s = 86400.0;   // how far ahead of `now` a timestamp may be
  double now = 0.0;                // seconds since the epoch; 0 = read the system clock
  bool reject_empty = false;       // ingest.strict: a record with no known metric is an error, not a warning
};

struct DecodeResult {
  std::vector<Record> records;      // valid entries, in input order
  std::vector<RecordError> errors;  // in input order
  bool payload_error = false;       // whole document unusable; `records` is then empty
  std::string node_id;              // the batch's (or single contribution's) node_id
  size_t rejected = 0;              // entries refused; an unusable payload counts as its entries, at least 1
  size_t errors_omitted = 0;        // errors beyond DecodeLimits::max_errors
  std::vector<RecordWarning> warnings;  // accepted records the sender should look at (capped like errors)
  size_t empty_records = 0;         // records in which no known metric was found (accepted or not)
  std::string first_empty_reason;   // the first such record's reason, for the log
  IdentitySource identity = IdentitySource::Payload;  // how `node_id` was found
  // decode_ndjson only (else empty): per record, the line it was decoded
  // from when that line alone decodes to an equal record (it names its own
  // node), else "". A view into the decoded text. The write-ahead log
  // stores these bytes instead of re-encoding the record (wal_payload.hpp).
  std::vector<std::string_view> sources;

  bool ok() const { return !payload_error && rejected == 0; }
};

// The answer body for a sender:
// {"status":"rejected"|"partial"|"accepted","accepted":N,"rejected":M,
//  "errors":[{"index":3,"field":"network.peer_count","reason":"..."}]}
// plus "errors_omitted" when errors were capped, "warnings" when there are
// any, and "identity":{"node_id","source"} when the node id did not come from
// the payload. "accepted" only describes decoding; a transport says accepted
// to a sender once records are durable.
nlohmann::json error_body(const DecodeResult& result);

// The answer to a payload whose records were logged and queued: error_body
// with status "accepted" or "partial", `accepted` (records taken, duplicates
// included), "duplicates" when any, and `last_seq`. Written without a
// document when there is nothing but counts to say (the usual payload).
std::string accepted_body(const DecodeResult& result, uint32_t accepted, size_t duplicates, int64_t last_seq);

// "payload" | "sender" | "derived".
const char* identity_source_name(IdentitySource source);

}  // namespace nebula::host
