// The host's one payload decoder. Every transport (HTTP, TCP, file) hands
// its bytes here, so every sender gets the same answer for the same mistake.
//
// A payload is parsed once, with simdjson (about 17x faster than
// nlohmann::json on our records, see docs/benchmarks.md), and read in
// place; only what a payload simdjson refuses goes through nlohmann::json,
// for the error message senders get (or, for integers beyond 64 bits, a
// form simdjson reads). Objects are read in sorted key order with the last
// of a repeated key winning, as nlohmann::json had them.
#pragma once

#include <string>
#include <string_view>

#include "ingest/decode_result.hpp"
#include "ingest/record.hpp"

namespace nebula::host {

// One JSON document in either wire shape (docs: DESIGN.md section 2):
//   single contribution {"timestamp":…, "data_type":"node_contribution", "node_data":{…}}
//   batch               {"node_id":…, "data_batch":[<record>, …], "batch_size":N, …}
// Entry errors are collected for every entry; good entries are still
// returned, and the caller decides whether a partial batch is accepted.
// `sender` (may be nullptr) gives records that name no node an identity
// (node_identity.hpp).
DecodeResult decode_json_payload(std::string_view body, const DecodeLimits& limits = {},
                                 const Sender* sender = nullptr);

// One record object per line (blank lines skipped); an entry's index is its
// 0-based line number. A malformed line is an error for that line only.
DecodeResult decode_ndjson(std::string_view lines, const DecodeLimits& limits = {}, const Sender* sender = nullptr);

}  // namespace nebula::host
