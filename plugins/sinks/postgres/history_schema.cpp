#include "history_schema.hpp"

#include <nebula/host.hpp>

namespace nebula::sinks::postgres {
namespace {

std::string tables_sql(const TableNames& t) {
  return "CREATE SCHEMA IF NOT EXISTS " + t.schema + ";\n"
         "CREATE TABLE IF NOT EXISTS " + t.insights + "(\n"
         "  id bigserial PRIMARY KEY,  -- never reused: cursors stay valid\n"
         "  topic text NOT NULL,\n"
         "  source text NOT NULL,\n"
         "  host text NOT NULL,\n"
         "  \"timestamp\" double precision NOT NULL,\n"
         "  json jsonb NOT NULL,\n"
         "  fingerprint bigint NOT NULL,\n"
         "  UNIQUE(source, topic, \"timestamp\", fingerprint));\n"
         "CREATE INDEX IF NOT EXISTS " + t.index("insights_by_topic") + " ON " + t.insights + "(topic, id);\n"
         "CREATE INDEX IF NOT EXISTS " + t.index("insights_by_time") + " ON " + t.insights + "(\"timestamp\");\n"
         "CREATE TABLE IF NOT EXISTS " + t.nodes + "(\n"
         "  node_id text NOT NULL,\n"
         "  insight_id bigint NOT NULL REFERENCES " + t.insights + "(id) ON DELETE CASCADE,\n"
         "  PRIMARY KEY(node_id, insight_id));\n"
         "CREATE INDEX IF NOT EXISTS " + t.index("insight_nodes_by_insight") + " ON " + t.nodes + "(insight_id);\n"
         "CREATE TABLE IF NOT EXISTS " + t.chains + "(\n"
         "  chain_id text NOT NULL,\n"
         "  insight_id bigint NOT NULL REFERENCES " + t.insights + "(id) ON DELETE CASCADE,\n"
         "  PRIMARY KEY(chain_id, insight_id));\n"
         "CREATE INDEX IF NOT EXISTS " + t.index("insight_chains_by_insight") + " ON " + t.chains + "(insight_id);\n"
         "CREATE TABLE IF NOT EXISTS " + t.version + "(version integer NOT NULL);\n"
         "INSERT INTO " + t.version + "(version) VALUES (" + std::to_string(kSchemaVersion) + ");\n";
}

}  // namespace

void prepare_history_schema(Connection& c, const TableNames& tables) {
  Transaction tx(c);
  c.exec("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", {tables.lock_name + ":schema"});
  // Tables that exist are only checked: no DDL, so a pool whose database
  // user may not create anything runs on tables an administrator made.
  const Result found = c.exec("SELECT to_regclass($1) IS NOT NULL", {tables.version});
  if (found.text(0, 0) == "t") {
    const Result v = c.exec("SELECT coalesce(max(version), 0) FROM " + tables.version);
    if (v.integer(0, 0) > kSchemaVersion)
      throw Error(NEBULA_IO, "postgres: the history tables have schema version " + v.text(0, 0) +
                                 ", newer than this sink's " + std::to_string(kSchemaVersion));
    tx.commit();
    return;
  }
  c.exec(tables_sql(tables));
  tx.commit();
}

}  // namespace nebula::sinks::postgres
