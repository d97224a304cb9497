#include "history_schema.hpp"

#include <string>

#include <nebula/host.hpp>

namespace nebula::sinks::sqlite {
namespace {

constexpr const char* kTables = R"sql(
CREATE TABLE IF NOT EXISTS insights(
  id INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: cursors stay valid
  topic TEXT NOT NULL,
  source TEXT NOT NULL,
  timestamp REAL NOT NULL,
  fingerprint INTEGER NOT NULL,
  json TEXT NOT NULL,
  UNIQUE(source, topic, timestamp, fingerprint));
CREATE INDEX IF NOT EXISTS insights_by_topic ON insights(topic, id);
CREATE INDEX IF NOT EXISTS insights_by_time ON insights(timestamp);
CREATE TABLE IF NOT EXISTS insight_nodes(
  node_id TEXT NOT NULL,
  insight_id INTEGER NOT NULL,
  PRIMARY KEY(node_id, insight_id)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS insight_nodes_by_insight ON insight_nodes(insight_id);
CREATE TABLE IF NOT EXISTS insight_chains(
  chain_id TEXT NOT NULL,
  insight_id INTEGER NOT NULL,
  PRIMARY KEY(chain_id, insight_id)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS insight_chains_by_insight ON insight_chains(insight_id);
)sql";

}  // namespace

void prepare_history_schema(Database& db) {
  const int64_t version = db.single_integer("PRAGMA user_version");
  if (version > kSchemaVersion)
    throw Error(NEBULA_IO, "sqlite: the history database has schema version " + std::to_string(version) +
                               ", newer than this sink's " + std::to_string(kSchemaVersion));
  // Only takes effect on a new file, before the first table exists.
  db.exec("PRAGMA auto_vacuum = INCREMENTAL");
  db.exec("PRAGMA journal_mode = WAL");
  // FULL: a batch deliver() answered OK for is on disk, even across a power
  // cut (one fsync per batch; NORMAL could lose the last batches).
  db.exec("PRAGMA synchronous = FULL");
  db.exec("PRAGMA journal_size_limit = 67108864");  // the WAL shrinks back after checkpoints
  Transaction tx(db, Transaction::Kind::Write);
  db.exec(kTables);
  db.exec(("PRAGMA user_version = " + std::to_string(kSchemaVersion)).c_str());
  tx.commit();
}

}  // namespace nebula::sinks::sqlite
