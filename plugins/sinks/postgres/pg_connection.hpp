// Thin RAII over libpq: a connection, a result, a transaction. Every failure
// becomes a nebula::Error whose status tells the host what to do with the
// batch: the server cannot be reached or went away -> RETRY (the host's
// backoff paces the reconnects); the data itself is refused -> INVALID;
// anything else (permissions, disk full) -> IO.
#pragma once

#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <libpq-fe.h>

namespace nebula::sinks::postgres {

struct ConnectionSettings {
  std::string dsn;  // libpq connection string or URI
  int connect_timeout_s = 5;
  std::string application_name = "nebula-pool";
};

// A statement prepared on each connection the first time it runs there.
struct PreparedSql {
  std::string name;
  std::string sql;
};

class Result {
 public:
  explicit Result(PGresult* r) : r_(r, &PQclear) {}
  int rows() const { return PQntuples(r_.get()); }
  bool is_null(int row, int column) const { return PQgetisnull(r_.get(), row, column) != 0; }
  std::string text(int row, int column) const;
  int64_t integer(int row, int column) const;
  double real(int row, int column) const;
  // Rows an INSERT/UPDATE/DELETE touched.
  int64_t affected() const;

 private:
  template <class Number>
  Number parsed(int row, int column) const;

  std::unique_ptr<PGresult, void (*)(PGresult*)> r_;
};

class Connection {
 public:
  // Throws Error(NEBULA_RETRY) when no connection comes about: the server is
  // down or starting up, or refuses us (a password fixed later works then).
  explicit Connection(const ConnectionSettings& settings);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  bool broken() const { return PQstatus(conn_) != CONNECTION_OK; }
  // "user@host:port/db", for logs (never the password).
  std::string describe() const;

  Result exec(const std::string& sql);
  // Text-format parameters $1, $2, ... in order.
  Result exec(const std::string& sql, const std::vector<std::string>& params);
  Result exec(const PreparedSql& statement, const std::vector<std::string>& params);
  // For a transaction that is given up; never throws.
  void rollback() noexcept;

 private:
  Result checked(PGresult* r, std::string_view what);

  PGconn* conn_ = nullptr;
  std::set<std::string> prepared_;
};

// BEGIN; ROLLBACK on destruction unless committed.
class Transaction {
 public:
  explicit Transaction(Connection& c) : c_(c) { c_.exec("BEGIN"); }
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

 private:
  Connection& c_;
  bool open_ = true;
};

// Doubles as PostgreSQL reads them back bit for bit (shortest round trip).
std::string sql_number(double value);

}  // namespace nebula::sinks::postgres
