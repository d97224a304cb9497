// The insight history in a shared PostgreSQL database: what the sink plugin
// binds to the ABI. deliver and retention share the writing connection (never
// at once: the host does not overlap a sink's timer with its deliveries);
// query runs on its own connection from any thread. Neither needs the
// server at construction: a connection is made (again) on first use.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nebula/plugin.hpp>

#include "history_request.hpp"
#include "insight_reader.hpp"
#include "insight_writer.hpp"
#include "pg_session.hpp"
#include "retention.hpp"
#include "table_names.hpp"

namespace nebula::sinks::postgres {

struct HistorySettings {
  ConnectionSettings connection;
  std::string schema;
  std::string table_prefix;
  std::string host_id;
  RetentionLimits retention;
};

class PostgresHistory {
 public:
  explicit PostgresHistory(const HistorySettings& settings);

  // Connects the writer now (schema included); throws as Connection does.
  // Optional: write() and the rest connect by themselves.
  std::string connect();
  WriteOutcome write(const std::vector<Insight>& batch) { return writer_.write(writer(), batch); }
  nlohmann::json query(const HistoryRequest& request) { return reader_.query(request); }
  RetentionOutcome enforce_retention(double now) { return retention_.run(writer(), now); }
  int64_t insights_kept() { return retention_.insights_kept(writer()); }
  // Connections the writer made so far (1 + reconnects).
  uint64_t writer_connects() const { return session_.connects(); }

 private:
  Connection& writer() { return session_.connection(); }

  TableNames tables_;
  Session session_;
  InsightWriter writer_;
  InsightReader reader_;
  Retention retention_;
};

}  // namespace nebula::sinks::postgres
