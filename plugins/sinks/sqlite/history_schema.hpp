// The history database's tables, indexes and connection settings.
//
//   insights(id, topic, source, timestamp, fingerprint, json)
//     UNIQUE (source, topic, timestamp, fingerprint): a redelivered insight
//     is recognised, not stored twice
//   insight_nodes(node_id, insight_id), insight_chains(chain_id, insight_id)
//     which nodes and chains each insight is about, for the query
#pragma once

#include <filesystem>

#include "sqlite_database.hpp"

namespace nebula::sinks::sqlite {

constexpr int kSchemaVersion = 1;

// On the writing connection: WAL journal, incremental vacuum (so retention
// can give pages back to the file system), then the tables if they are
// missing. Throws Error(NEBULA_IO) for a file written by a newer schema.
void prepare_history_schema(Database& db);

// The writing connection, schema ready before anything else opens the file.
class HistoryDatabase : public Database {
 public:
  explicit HistoryDatabase(const std::filesystem::path& path) : Database(path, Mode::ReadWrite) {
    prepare_history_schema(*this);
  }
};

}  // namespace nebula::sinks::sqlite
