// The insight history in one SQLite file: what the sink plugin binds to the
// ABI. deliver/retention run on the writing connection (never at once: the
// host does not overlap a sink's timer with its deliveries); query runs on
// its own reading connection from any thread.
#pragma once

#include <filesystem>
#include <vector>

#include <nebula/plugin.hpp>

#include "history_request.hpp"
#include "history_schema.hpp"
#include "insight_reader.hpp"
#include "insight_writer.hpp"
#include "retention.hpp"

namespace nebula::sinks::sqlite {

class SqliteHistory {
 public:
  // Creates the file (and its folder) when missing; an existing history is
  // served as it is.
  SqliteHistory(const std::filesystem::path& path, RetentionLimits limits);

  WriteOutcome write(const std::vector<Insight>& batch) { return writer_.write(batch); }
  nlohmann::json query(const HistoryRequest& request) { return reader_.query(request); }
  RetentionOutcome enforce_retention(double now) { return retention_.run(now); }
  uint64_t database_bytes() { return retention_.database_bytes(); }
  int64_t insights_kept() { return retention_.insights_kept(); }
  // Moves the WAL into the database file and truncates it (drain).
  void checkpoint();

 private:
  HistoryDatabase db_;
  InsightWriter writer_;
  InsightReader reader_;
  Retention retention_;
};

}  // namespace nebula::sinks::sqlite
