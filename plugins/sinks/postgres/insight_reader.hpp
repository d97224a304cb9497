// Answers history queries on a connection of its own, so a query runs while
// the delivery thread writes (it sees committed batches of every pool host).
// [thread-safe]: concurrent queries take turns on the one connection.
#pragma once

#include <mutex>

#include <nlohmann/json.hpp>

#include "history_request.hpp"
#include "pg_session.hpp"
#include "table_names.hpp"

namespace nebula::sinks::postgres {

class InsightReader {
 public:
  InsightReader(const TableNames& tables, Session session);

  // The answer shape of history_answer.hpp, newest first, each insight with
  // the "host" that stored it as well. Throws Error(NEBULA_RETRY) while the
  // server cannot be reached.
  nlohmann::json query(const HistoryRequest& request);

 private:
  nlohmann::json page(Connection& c, const HistoryRequest& request);

  std::mutex mu_;
  const TableNames tables_;
  Session session_;
};

}  // namespace nebula::sinks::postgres
