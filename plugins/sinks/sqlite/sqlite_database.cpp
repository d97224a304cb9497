#include "sqlite_database.hpp"

#include <nebula/host.hpp>

namespace nebula::sinks::sqlite {
namespace {

// Another connection (a second pool on the same file, or a long retention
// pass) holding the lock this long makes the call answer RETRY instead.
constexpr int kBusyTimeoutMs = 2000;

nebula_status status_of(int rc) {
  switch (rc & 0xFF) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return NEBULA_RETRY;
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_PROTOCOL:
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
    case SQLITE_PERM:
    case SQLITE_NOLFS:
      return NEBULA_IO;
    default:
      return NEBULA_INTERNAL;
  }
}

}  // namespace

void throw_sqlite(sqlite3* db, int rc, std::string_view what) {
  const char* detail = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  throw Error(status_of(rc), "sqlite: " + std::string(what) + ": " + detail);
}

Database::Database(const std::filesystem::path& path, Mode mode) {
  // FULLMUTEX: the connection may be used from the delivery thread and the
  // timer thread (never at once, but with no other memory fence between).
  const int flags = SQLITE_OPEN_FULLMUTEX |
                    (mode == Mode::ReadWrite ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READONLY);
  const int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string detail = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close(db_);
    db_ = nullptr;
    throw Error(NEBULA_IO, "sqlite: cannot open " + path.string() + ": " + detail);
  }
  sqlite3_extended_result_codes(db_, 1);
  sqlite3_busy_timeout(db_, kBusyTimeoutMs);
}

Database::~Database() { sqlite3_close_v2(db_); }

void Database::exec(const char* sql) {
  const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) throw_sqlite(db_, rc, sql);
}

int64_t Database::single_integer(const char* sql) {
  Statement s(*this, sql);
  if (!s.step()) throw Error(NEBULA_INTERNAL, std::string("sqlite: no answer to ") + sql);
  return s.integer(0);
}

Statement::Statement(Database& db, std::string_view sql) : db_(db.get()) {
  const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt_,
                                    nullptr);
  if (rc != SQLITE_OK) throw_sqlite(db_, rc, "prepare " + std::string(sql));
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement::Statement(Statement&& other) noexcept : db_(other.db_), stmt_(other.stmt_) { other.stmt_ = nullptr; }

int Statement::index_of(const char* name) const {
  const int i = sqlite3_bind_parameter_index(stmt_, name);
  if (i == 0) throw Error(NEBULA_INTERNAL, std::string("sqlite: statement has no parameter ") + name);
  return i;
}

void Statement::bind(const char* name, std::string_view text) {
  const int rc = sqlite3_bind_text(stmt_, index_of(name), text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  if (rc != SQLITE_OK) throw_sqlite(db_, rc, std::string("bind ") + name);
}

void Statement::bind(const char* name, int64_t value) {
  const int rc = sqlite3_bind_int64(stmt_, index_of(name), value);
  if (rc != SQLITE_OK) throw_sqlite(db_, rc, std::string("bind ") + name);
}

void Statement::bind(const char* name, double value) {
  const int rc = sqlite3_bind_double(stmt_, index_of(name), value);
  if (rc != SQLITE_OK) throw_sqlite(db_, rc, std::string("bind ") + name);
}

bool Statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  throw_sqlite(db_, rc, sqlite3_sql(stmt_));
}

void Statement::reset() {
  sqlite3_reset(stmt_);  // its code repeats the last step's error, already thrown
  sqlite3_clear_bindings(stmt_);
}

int64_t Statement::integer(int column) const { return sqlite3_column_int64(stmt_, column); }

double Statement::real(int column) const { return sqlite3_column_double(stmt_, column); }

std::string Statement::text(int column) const {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  return p ? std::string(p, static_cast<size_t>(sqlite3_column_bytes(stmt_, column))) : std::string();
}

Transaction::Transaction(Database& db, Kind kind) : db_(db) {
  db_.exec(kind == Kind::Write ? "BEGIN IMMEDIATE" : "BEGIN");
}

Transaction::~Transaction() {
  if (open_) sqlite3_exec(db_.get(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void Transaction::commit() {
  db_.exec("COMMIT");
  open_ = false;
}

}  // namespace nebula::sinks::sqlite
