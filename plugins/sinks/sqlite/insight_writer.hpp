// Stores a delivered batch of insights: one transaction per batch, each
// insight with the nodes and chains it is about. A batch delivered again
// (the host retries after RETRY or IO) stores nothing twice.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <nebula/plugin.hpp>

#include "history_write.hpp"
#include "insight_subjects.hpp"
#include "sqlite_database.hpp"

namespace nebula::sinks::sqlite {

using nebula::sinks::WriteOutcome;  // shared by the history sinks

class InsightWriter {
 public:
  explicit InsightWriter(Database& db);

  // All or nothing. Throws Error(NEBULA_INVALID) naming the first insight
  // that is not a JSON document (or has no finite timestamp) before
  // anything is written; SQLite failures as throw_sqlite maps them.
  WriteOutcome write(const std::vector<Insight>& batch);

 private:
  static void add_subject(Statement& insert, const std::string& subject, int64_t insight_id);

  Database& db_;
  Statement insert_insight_;
  Statement insert_node_;
  Statement insert_chain_;
  SubjectLimits limits_;
};

}  // namespace nebula::sinks::sqlite
