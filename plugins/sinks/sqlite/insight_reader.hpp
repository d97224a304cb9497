// Answers history queries on a connection of its own, so a query runs while
// the delivery thread writes (WAL: readers see the last committed batch).
// [thread-safe]: concurrent queries take turns on the one connection.
#pragma once

#include <filesystem>
#include <map>
#include <mutex>

#include <nlohmann/json.hpp>

#include "history_request.hpp"
#include "sqlite_database.hpp"

namespace nebula::sinks::sqlite {

class InsightReader {
 public:
  // The database must exist with its schema (the writer creates it).
  explicit InsightReader(const std::filesystem::path& path);

  // The answer shape of history_answer.hpp, newest first.
  nlohmann::json query(const HistoryRequest& request);

 private:
  Statement& page_statement(const HistoryRequest& request);
  std::vector<std::string> subjects(Statement& lookup, int64_t insight_id);

  std::mutex mu_;
  Database db_;
  // One prepared statement per combination of filters, made on first use:
  // each has the WHERE clause (and join) its indexes can serve.
  std::map<unsigned, Statement> pages_;
  Statement nodes_of_;
  Statement chains_of_;
};

}  // namespace nebula::sinks::sqlite
