// Stores a delivered batch of insights: one transaction per batch, each
// insight with the nodes and chains it is about, in one prepared statement
// per insight. A batch delivered again (the host retries after RETRY or IO,
// or another pool host delivers the same insight) stores nothing twice.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <nebula/plugin.hpp>

#include "history_write.hpp"
#include "insight_subjects.hpp"
#include "pg_connection.hpp"
#include "table_names.hpp"

namespace nebula::sinks::postgres {

using nebula::sinks::WriteOutcome;  // shared by the history sinks

class InsightWriter {
 public:
  // `host_id`: the writing pool host, stored with every insight.
  InsightWriter(const TableNames& tables, std::string host_id);

  // All or nothing. Throws Error(NEBULA_INVALID) naming the first insight
  // that is not a JSON document or has no finite timestamp (before anything
  // is written), or that the database refuses (a "\u0000" jsonb cannot
  // hold); the connection's errors otherwise (RETRY when it was lost).
  WriteOutcome write(Connection& c, const std::vector<Insight>& batch);

 private:
  PreparedSql insert_;
  std::string host_id_;
  SubjectLimits limits_;
};

}  // namespace nebula::sinks::postgres
