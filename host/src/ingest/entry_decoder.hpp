// Turns one JSON object into a Record, collecting every problem with it.
// The object is consumed: strings and unknown values are moved out of it.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "ingest/field_reader.hpp"

namespace nebula::host {

// An entry of a batch or an NDJSON line: canonical fields nested
// ({"network":{"peer_count":3}}) or flat ("network.peer_count":3).
// `batch_node_id` (nullptr when none) is inherited by an entry without one
// and must match an entry that has one. Appends to ctx.out.records on
// success; returns whether the entry was accepted.
bool decode_record_entry(DecodeContext& ctx, int index, nlohmann::json& entry,
                         const std::string* batch_node_id);

// A single contribution: {"timestamp":…, "data_type":"node_contribution",
// "node_data":{"blocks_processed":…, …}} (entry index 0). `doc` must be an
// object whose "node_data" is an object.
bool decode_contribution(DecodeContext& ctx, nlohmann::json& doc);

}  // namespace nebula::host
