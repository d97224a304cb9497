// The history's tables, created when missing. Several pool hosts may start
// at once on an empty database: CREATE ... IF NOT EXISTS alone races in
// PostgreSQL (two creators collide on the catalog's unique keys), so the
// check and the creation run in one transaction under an advisory lock.
//
//   insights(id bigserial, topic, source, host, timestamp, json jsonb, fingerprint)
//     UNIQUE (source, topic, timestamp, fingerprint): a redelivered insight
//     is recognised, not stored twice, whichever pool host delivers it
//   insight_nodes(node_id, insight_id), insight_chains(chain_id, insight_id)
//     which nodes and chains each insight is about; deleted with it (cascade)
//   history_schema(version)
#pragma once

#include "pg_connection.hpp"
#include "table_names.hpp"

namespace nebula::sinks::postgres {

constexpr int kSchemaVersion = 1;

// Throws Error(NEBULA_IO) for tables of a newer schema version, and as
// Connection does for everything else (e.g. no CREATE privilege: IO).
void prepare_history_schema(Connection& c, const TableNames& tables);

}  // namespace nebula::sinks::postgres
