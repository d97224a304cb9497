#include "sqlite_history.hpp"

#include <system_error>

namespace nebula::sinks::sqlite {
namespace {

const std::filesystem::path& with_folder(const std::filesystem::path& path) {
  std::error_code ec;
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
  if (ec) throw Error(NEBULA_IO, "sqlite: cannot create the folder of " + path.string() + ": " + ec.message());
  return path;
}

}  // namespace

SqliteHistory::SqliteHistory(const std::filesystem::path& path, RetentionLimits limits)
    : db_(with_folder(path)), writer_(db_), reader_(path), retention_(db_, limits) {}

void SqliteHistory::checkpoint() { db_.exec("PRAGMA wal_checkpoint(TRUNCATE)"); }

}  // namespace nebula::sinks::sqlite
