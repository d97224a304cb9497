// Keeps the history inside its limits: insights older than the age limit
// go, then the oldest until the database is back under its byte limit, and
// the freed pages go back to the file system.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "sqlite_database.hpp"

namespace nebula::sinks::sqlite {

struct RetentionLimits {
  double max_age_s = 0;
  uint64_t max_bytes = 0;
};

struct RetentionOutcome {
  size_t deleted_by_age = 0;
  size_t deleted_by_size = 0;
};

class Retention {
 public:
  Retention(Database& db, RetentionLimits limits) : db_(db), limits_(limits) {}

  // `now`: seconds since the epoch.
  RetentionOutcome run(double now);

  // Bytes of the database file (pages in use and free ones alike).
  uint64_t database_bytes();
  int64_t insights_kept();

 private:
  // Deletes the insights matching `condition` (SQL on insights, with the
  // parameter :bound) and their subject rows, in one transaction.
  template <class Bound>
  size_t delete_where(const std::string& condition, Bound bound);
  size_t delete_older_than(double cutoff);
  size_t delete_oldest(int64_t count);
  uint64_t bytes_in_use();

  Database& db_;
  RetentionLimits limits_;
};

}  // namespace nebula::sinks::sqlite
