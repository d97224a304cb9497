#include "postgres_history.hpp"

#include "history_schema.hpp"

namespace nebula::sinks::postgres {
namespace {

Session::OnConnect schema_check(const TableNames& tables) {
  return [tables](Connection& c) { prepare_history_schema(c, tables); };
}

}  // namespace

PostgresHistory::PostgresHistory(const HistorySettings& s)
    : tables_(s.schema, s.table_prefix),
      session_(s.connection, schema_check(tables_)),
      writer_(tables_, s.host_id),
      reader_(tables_, Session(s.connection, schema_check(tables_))),
      retention_(tables_, s.retention) {}

std::string PostgresHistory::connect() { return writer().describe(); }

}  // namespace nebula::sinks::postgres
