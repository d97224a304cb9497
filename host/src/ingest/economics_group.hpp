// The optional `economics` record group (sdk/schemas/records/economics.schema.json):
// what a node's fee market and mempool look like, as `nebula-node run
// --ethereum` reads them from eth_feeHistory, eth_gasPrice and txpool_status.
// The pool has no columns for it: the group travels in the record's `extra`
// object, but its known leaves are checked here like canonical metrics, so a
// processor reading it (the Transaction Analyzer) can trust their types and
// ranges. Unknown leaves are kept as they are, like any group's.
#pragma once

#include <string_view>

#include "ingest/extra_fields.hpp"
#include "ingest/field_reader.hpp"

namespace nebula::host {

inline constexpr std::string_view kEconomicsGroup = "economics";

// Reads the group's value into `extra` (under "economics"), recording each
// bad leaf on `rd` as "economics.<leaf>". Returns how many known leaves held
// a value: they count as metrics, so a record carrying only economics is not
// "empty".
int read_economics(FieldReader& rd, ExtraFields& extra, std::string_view key, JsonValue group);

}  // namespace nebula::host
