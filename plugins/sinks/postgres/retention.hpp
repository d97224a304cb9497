// Keeps the shared history inside its limits: insights older than the age
// limit go, then the oldest (by id, i.e. by arrival across all pool hosts)
// beyond the row limit. Rows, not bytes, bound the size: a shared server's
// file sizes belong to the whole database and shrink only with VACUUM FULL,
// while a row count means the same on every host.
//
// One pool host at a time: the others skip a check while one runs it (a
// session advisory lock), so hosts never delete the same rows at once.
// Deletes go in chunks of their own transactions, so a large backlog never
// holds locks on the tables for long.
#pragma once

#include <cstddef>
#include <cstdint>

#include "pg_connection.hpp"
#include "table_names.hpp"

namespace nebula::sinks::postgres {

struct RetentionLimits {
  double max_age_s = 0;
  int64_t max_rows = 0;
};

struct RetentionOutcome {
  bool skipped = false;  // another pool host was running retention
  size_t deleted_by_age = 0;
  size_t deleted_by_rows = 0;
};

class Retention {
 public:
  Retention(const TableNames& tables, RetentionLimits limits);

  // `now`: seconds since the epoch.
  RetentionOutcome run(Connection& c, double now);
  int64_t insights_kept(Connection& c) const;

 private:
  // Runs a chunked DELETE statement until it deletes less than a chunk.
  static size_t delete_in_chunks(Connection& c, const PreparedSql& statement, const std::string& bound);

  const TableNames tables_;
  RetentionLimits limits_;
  PreparedSql delete_older_;
  PreparedSql delete_beyond_rows_;
};

}  // namespace nebula::sinks::postgres
