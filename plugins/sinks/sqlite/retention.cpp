#include "retention.hpp"

#include <algorithm>
#include <cmath>
#include <string>

namespace nebula::sinks::sqlite {
namespace {

// Deleting down to 90 % of the limit rather than to the limit itself leaves
// room for the next batches, so every check does not delete again.
constexpr double kLowWater = 0.9;
// Each round deletes what the average row size says is over; index pages
// free less than that average, so a few rounds may be needed.
constexpr int kMaxSizeRounds = 16;

}  // namespace

uint64_t Retention::database_bytes() {
  return static_cast<uint64_t>(db_.single_integer("PRAGMA page_count") * db_.single_integer("PRAGMA page_size"));
}

uint64_t Retention::bytes_in_use() {
  const int64_t pages = db_.single_integer("PRAGMA page_count") - db_.single_integer("PRAGMA freelist_count");
  return static_cast<uint64_t>(pages * db_.single_integer("PRAGMA page_size"));
}

int64_t Retention::insights_kept() { return db_.single_integer("SELECT count(*) FROM insights"); }

template <class Bound>
size_t Retention::delete_where(const std::string& condition, Bound bound) {
  Transaction tx(db_, Transaction::Kind::Write);
  // Subjects first: their rows are found through the insights they belong to.
  for (const char* table : {"insight_nodes", "insight_chains"}) {
    Statement s(db_, std::string("DELETE FROM ") + table +
                         " WHERE insight_id IN (SELECT id FROM insights WHERE " + condition + ")");
    s.bind(":bound", bound);
    s.step();
  }
  Statement insights(db_, "DELETE FROM insights WHERE " + condition);
  insights.bind(":bound", bound);
  insights.step();
  const auto deleted = static_cast<size_t>(sqlite3_changes(db_.get()));
  tx.commit();
  return deleted;
}

size_t Retention::delete_older_than(double cutoff) { return delete_where("timestamp < :bound", cutoff); }

size_t Retention::delete_oldest(int64_t count) {
  int64_t last_id = 0;
  {
    Statement nth(db_, "SELECT id FROM insights ORDER BY id LIMIT 1 OFFSET :skip");
    nth.bind(":skip", count - 1);
    if (nth.step()) last_id = nth.integer(0);
    else last_id = db_.single_integer("SELECT coalesce(max(id), 0) FROM insights");  // fewer rows: all of them
  }
  return delete_where("id <= :bound", last_id);
}

RetentionOutcome Retention::run(double now) {
  RetentionOutcome out;
  out.deleted_by_age = delete_older_than(now - limits_.max_age_s);
  const auto low_water = static_cast<uint64_t>(static_cast<double>(limits_.max_bytes) * kLowWater);
  if (bytes_in_use() > limits_.max_bytes) {
    for (int round = 0; round < kMaxSizeRounds; ++round) {
      const uint64_t used = bytes_in_use();
      const int64_t rows = insights_kept();
      if (used <= low_water || rows == 0) break;
      const double share_over = static_cast<double>(used - low_water) / static_cast<double>(used);
      const auto count = std::max<int64_t>(1, static_cast<int64_t>(std::ceil(share_over * static_cast<double>(rows))));
      out.deleted_by_size += delete_oldest(count);
    }
  }
  if (out.deleted_by_age + out.deleted_by_size > 0) db_.exec("PRAGMA incremental_vacuum");
  return out;
}

}  // namespace nebula::sinks::sqlite
