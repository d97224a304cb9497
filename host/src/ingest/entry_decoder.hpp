// Turns one JSON object into a Record, collecting every problem with it.
// Values are read from the parsed payload; strings and unknown values are
// copied out of it once, into the Record.
#pragma once

#include <string>

#include "ingest/field_reader.hpp"
#include "ingest/object_fields.hpp"

namespace nebula::host {

// An entry of a batch or an NDJSON line: canonical fields nested
// ({"network":{"peer_count":3}}) or flat ("network.peer_count":3).
// `batch_node_id` (nullptr when none) is inherited by an entry without one
// and must match an entry that has one. Appends to ctx.out.records on
// success; returns whether the entry was accepted.
bool decode_record_entry(DecodeContext& ctx, int index, JsonValue entry, const std::string* batch_node_id);

// A single contribution: {"timestamp":…, "data_type":"node_contribution",
// "node_data":{…}}, entry `index` (0 for a JSON document, the line for
// NDJSON). `node_data` is the (object) value of the document's "node_data" key.
bool decode_contribution(DecodeContext& ctx, int index, const ObjectFields& doc, simdjson::dom::object node_data);

}  // namespace nebula::host
