// The canonical wire JSON of one Record: what the node client sends, what
// the WAL stores, and what decode_json_payload / decode_ndjson read back to
// an equal Record.
#pragma once

#include <string>

#include "ingest/record.hpp"

namespace nebula::host {

// One compact JSON object with sorted keys: identity fields at top level,
// metrics nested under "blockchain" / "network" / "performance", absent
// (nullopt) metrics omitted, and the members of extra_json merged back in
// (unknown group members into their group). Canonical fields win a name
// clash with extra_json. Throws std::invalid_argument when extra_json is
// not empty and not a JSON object (the decoder never produces that).
std::string encode_record_json(const Record& record);

}  // namespace nebula::host
