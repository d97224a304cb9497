#include "pg_connection.hpp"

#include <charconv>
#include <cstring>

#include <nebula/host.hpp>

namespace nebula::sinks::postgres {
namespace {

// The SQLSTATE classes and codes that say "try again later", not "this data
// is wrong": the connection (08), the server shutting down or starting
// (57P01..57P03), a serialisation failure or deadlock with another pool
// host (40001, 40P01), a lock not granted, too many connections.
bool transient(std::string_view state) {
  return state.starts_with("08") || state.starts_with("57P") || state == "40001" || state == "40P01" ||
         state == "55P03" || state == "53300";
}

nebula_status status_of(std::string_view state, bool connection_broken) {
  if (state.empty()) return connection_broken ? NEBULA_RETRY : NEBULA_IO;  // no answer at all
  if (transient(state) || connection_broken) return NEBULA_RETRY;
  // Data exceptions (22: a \u0000 jsonb cannot hold, bad UTF-8) and program
  // limits (54: a document too large for jsonb) are the insight's own fault.
  if (state.starts_with("22") || state.starts_with("54")) return NEBULA_INVALID;
  return NEBULA_IO;  // permissions, disk full, a schema someone changed
}

std::string trimmed(const char* message) {
  std::string s = message ? message : "";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

}  // namespace

std::string Result::text(int row, int column) const {
  return std::string(PQgetvalue(r_.get(), row, column), static_cast<size_t>(PQgetlength(r_.get(), row, column)));
}

template <class Number>
Number Result::parsed(int row, int column) const {
  const char* v = PQgetvalue(r_.get(), row, column);
  Number out{};
  const auto [end, ec] = std::from_chars(v, v + std::strlen(v), out);
  if (ec != std::errc() || *end) throw Error(NEBULA_INTERNAL, std::string("postgres: not a number: '") + v + "'");
  return out;
}

int64_t Result::integer(int row, int column) const { return parsed<int64_t>(row, column); }

double Result::real(int row, int column) const { return parsed<double>(row, column); }

int64_t Result::affected() const {
  const char* n = PQcmdTuples(r_.get());
  return *n ? std::stoll(n) : 0;
}

Connection::Connection(const ConnectionSettings& settings) {
  const std::string timeout = std::to_string(settings.connect_timeout_s);
  // expand_dbname: `dsn` is a whole connection string; the keywords after it
  // override what it says about the timeout and the application name. TCP
  // keepalives and a user timeout end a connection to a server that vanished
  // without closing it within about 30 s, instead of the kernel's minutes.
  const char* keys[] = {"dbname",          "connect_timeout",     "application_name", "keepalives",
                        "keepalives_idle", "keepalives_interval", "keepalives_count", "tcp_user_timeout",
                        nullptr};
  const char* values[] = {settings.dsn.c_str(), timeout.c_str(), settings.application_name.c_str(), "1", "10", "5",
                          "3",                  "30000",         nullptr};
  conn_ = PQconnectdbParams(keys, values, 1);
  if (!conn_) throw Error(NEBULA_RETRY, "postgres: cannot connect: out of memory");
  if (PQstatus(conn_) != CONNECTION_OK) {
    const std::string why = trimmed(PQerrorMessage(conn_));
    PQfinish(conn_);
    conn_ = nullptr;
    throw Error(NEBULA_RETRY, "postgres: cannot connect: " + why);
  }
  // Timestamps go both ways as text: the shortest exact spelling, no
  // rounding. Notices ("already exists, skipping") are not for the pool's log.
  exec("SET extra_float_digits = 3; SET client_min_messages = warning");
}

Connection::~Connection() { PQfinish(conn_); }

std::string Connection::describe() const {
  const char* host = PQhost(conn_);
  return std::string(PQuser(conn_)) + "@" + (host && *host == '/' ? std::string("[socket ") + host + "]" : host) +
         ":" + PQport(conn_) + "/" + PQdb(conn_);
}

Result Connection::checked(PGresult* r, std::string_view what) {
  Result result(r);
  const ExecStatusType st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
  if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) return result;
  const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
  const std::string message = trimmed(r ? PQresultErrorMessage(r) : PQerrorMessage(conn_));
  throw Error(status_of(state ? state : "", broken()),
              "postgres: " + std::string(what) + ": " + (message.empty() ? trimmed(PQerrorMessage(conn_)) : message));
}

Result Connection::exec(const std::string& sql) { return checked(PQexec(conn_, sql.c_str()), sql); }

namespace {

std::vector<const char*> pointers(const std::vector<std::string>& params) {
  std::vector<const char*> out;
  out.reserve(params.size());
  for (const auto& p : params) out.push_back(p.c_str());
  return out;
}

}  // namespace

Result Connection::exec(const std::string& sql, const std::vector<std::string>& params) {
  const auto values = pointers(params);
  return checked(PQexecParams(conn_, sql.c_str(), static_cast<int>(values.size()), nullptr, values.data(), nullptr,
                              nullptr, 0),
                 sql);
}

Result Connection::exec(const PreparedSql& statement, const std::vector<std::string>& params) {
  if (!prepared_.contains(statement.name)) {
    checked(PQprepare(conn_, statement.name.c_str(), statement.sql.c_str(), 0, nullptr), "prepare " + statement.sql);
    prepared_.insert(statement.name);
  }
  const auto values = pointers(params);
  return checked(PQexecPrepared(conn_, statement.name.c_str(), static_cast<int>(values.size()), values.data(),
                                nullptr, nullptr, 0),
                 statement.sql);
}

void Connection::rollback() noexcept {
  if (!broken()) PQclear(PQexec(conn_, "ROLLBACK"));  // a lost connection rolled back by itself
}

Transaction::~Transaction() {
  if (open_) c_.rollback();
}

void Transaction::commit() {
  c_.exec("COMMIT");
  open_ = false;
}

std::string sql_number(double value) {
  char buf[32];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  return std::string(buf, ec == std::errc() ? end : buf);
}

}  // namespace nebula::sinks::postgres
