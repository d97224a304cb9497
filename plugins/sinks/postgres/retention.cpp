#include "retention.hpp"

namespace nebula::sinks::postgres {
namespace {

constexpr int64_t kChunkRows = 10000;

// Holds this history's retention lock for one check; released when the check
// ends, or by the server when the connection is lost.
class RetentionLock {
 public:
  RetentionLock(Connection& c, const TableNames& t) : c_(c), key_(t.lock_name + ":retention") {
    held_ = c_.exec("SELECT pg_try_advisory_lock(hashtextextended($1, 0))", {key_}).text(0, 0) == "t";
  }
  ~RetentionLock() {
    if (!held_ || c_.broken()) return;
    try {
      c_.exec("SELECT pg_advisory_unlock(hashtextextended($1, 0))", {key_});
    } catch (...) {  // the lock goes with the connection, which a failure here ends anyway
    }
  }
  RetentionLock(const RetentionLock&) = delete;
  RetentionLock& operator=(const RetentionLock&) = delete;
  bool held() const { return held_; }

 private:
  Connection& c_;
  std::string key_;
  bool held_ = false;
};

std::string chunk_of(const TableNames& t, const std::string& condition) {
  // Node and chain rows go with their insight (ON DELETE CASCADE).
  return "DELETE FROM " + t.insights + " WHERE id IN (SELECT id FROM " + t.insights + " WHERE " + condition +
         " ORDER BY id LIMIT " + std::to_string(kChunkRows) + ")";
}

}  // namespace

Retention::Retention(const TableNames& tables, RetentionLimits limits)
    : tables_(tables),
      limits_(limits),
      delete_older_{"nebula_retention_by_age", chunk_of(tables, "\"timestamp\" < $1::double precision")},
      // The newest max_rows stay: everything up to the next-newest id goes.
      delete_beyond_rows_{"nebula_retention_by_rows",
                          chunk_of(tables, "id <= (SELECT id FROM " + tables.insights +
                                               " ORDER BY id DESC OFFSET $1::bigint LIMIT 1)")} {}

size_t Retention::delete_in_chunks(Connection& c, const PreparedSql& statement, const std::string& bound) {
  size_t total = 0;
  for (;;) {
    const auto deleted = c.exec(statement, {bound}).affected();
    total += static_cast<size_t>(deleted);
    if (deleted < kChunkRows) return total;
  }
}

RetentionOutcome Retention::run(Connection& c, double now) {
  RetentionOutcome out;
  RetentionLock lock(c, tables_);
  if (!lock.held()) {
    out.skipped = true;
    return out;
  }
  out.deleted_by_age = delete_in_chunks(c, delete_older_, sql_number(now - limits_.max_age_s));
  out.deleted_by_rows = delete_in_chunks(c, delete_beyond_rows_, std::to_string(limits_.max_rows));
  return out;
}

int64_t Retention::insights_kept(Connection& c) const {
  return c.exec("SELECT count(*) FROM " + tables_.insights).integer(0, 0);
}

}  // namespace nebula::sinks::postgres
