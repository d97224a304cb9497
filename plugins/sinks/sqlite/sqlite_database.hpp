// Thin RAII over the sqlite3 C API: a connection, a prepared statement, a
// transaction. Every failure becomes a nebula::Error whose status tells the
// host whether retrying can help (busy: RETRY; disk: IO).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include <sqlite3.h>

namespace nebula::sinks::sqlite {

// Throws nebula::Error: SQLITE_BUSY/LOCKED -> NEBULA_RETRY; I/O, full disk,
// unopenable, read-only or damaged file -> NEBULA_IO; anything else ->
// NEBULA_INTERNAL. The message names `what` and SQLite's own explanation.
[[noreturn]] void throw_sqlite(sqlite3* db, int rc, std::string_view what);

class Database {
 public:
  enum class Mode { ReadWrite, ReadOnly };
  Database(const std::filesystem::path& path, Mode mode);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  sqlite3* get() const { return db_; }
  void exec(const char* sql);
  // The single integer a statement such as "PRAGMA page_count" returns.
  int64_t single_integer(const char* sql);

 private:
  sqlite3* db_ = nullptr;
};

class Statement {
 public:
  Statement(Database& db, std::string_view sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  Statement(Statement&& other) noexcept;

  // Binds by name (":topic"); a name the SQL does not use is a bug.
  void bind(const char* name, std::string_view text);
  void bind(const char* name, int64_t value);
  void bind(const char* name, double value);
  // True while there is a row to read; false when done.
  bool step();
  // Ready for the next use: bindings cleared, cursor rewound.
  void reset();

  int64_t integer(int column) const;
  double real(int column) const;
  std::string text(int column) const;

 private:
  int index_of(const char* name) const;
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

// Resets a statement (bindings too) when the scope ends, however it ends: a
// statement left mid-result would keep a read snapshot open, which stops WAL
// checkpoints, and would carry old bindings into its next use.
class StatementUse {
 public:
  explicit StatementUse(Statement& s) : s_(s) {}
  ~StatementUse() { s_.reset(); }
  StatementUse(const StatementUse&) = delete;
  StatementUse& operator=(const StatementUse&) = delete;

 private:
  Statement& s_;
};

// BEGIN IMMEDIATE (writers) or BEGIN (readers: one snapshot for the query);
// rolled back on destruction unless committed.
class Transaction {
 public:
  enum class Kind { Write, Read };
  Transaction(Database& db, Kind kind);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

 private:
  Database& db_;
  bool open_ = true;
};

}  // namespace nebula::sinks::sqlite
