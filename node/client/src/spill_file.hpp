// The on-disk overflow of the record buffer: an append-only file of spill
// lines read back oldest first. Holds an exclusive flock on the directory for
// its lifetime so two clients can never interleave one spill.
//
// Appends are buffered in memory and handed to the OS by sync() (called by
// the client's maintenance thread and before every read), so a record() call
// pays for a memory copy, not a write(2). If the disk refuses, lines stay in
// that buffer and can still be read back: a full disk delays, never drops.
// Not thread-safe: the record buffer calls it under its own lock.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "spill_line.hpp"

namespace nebula::node {

class SpillFile {
 public:
  // Creates dir if needed, locks it and opens dir/spill.jsonl. Lines a
  // previous process left are unread; a torn last line (a crash mid-write)
  // is cut off. Throws std::runtime_error.
  explicit SpillFile(std::filesystem::path dir);
  ~SpillFile();
  SpillFile(const SpillFile&) = delete;
  SpillFile& operator=(const SpillFile&) = delete;

  // Every unread line's decoded header and body, oldest first (start-up seq recovery).
  void scan(const std::function<void(const SpillLine&)>& fn);

  void append(std::string_view node_id, std::int64_t seq, std::string_view record);
  // Moves up to `max` unread lines, oldest first, into `out`; returns how many
  // lines were consumed (damaged ones are skipped but consumed). Empties the
  // file once everything has been read.
  std::size_t read(std::size_t max, std::vector<SpillLine>& out);
  // Hands buffered appends to the OS. False when the disk refused (they stay buffered).
  bool sync();
  // Atomically replaces the file with `front` followed by every unread line,
  // fsynced: what a clean shutdown leaves for the next process. Throws on failure.
  void rewrite_with_front(const std::vector<SpillLine>& front);

  std::uint64_t unread() const { return unread_; }
  std::uint64_t damaged() const { return damaged_; }
  const std::string& last_error() const { return error_; }
  const std::filesystem::path& path() const { return path_; }

 private:
  // Calls fn on each complete line in [from, to) until it returns false
  // (that line is left unconsumed); returns the offset after the last consumed line.
  std::uint64_t each_line(std::uint64_t from, std::uint64_t to, const std::function<bool(std::string_view)>& fn) const;
  void repair_torn_tail();
  void reset_if_drained();

  std::filesystem::path dir_;
  std::filesystem::path path_;
  int lock_fd_ = -1;
  int fd_ = -1;
  std::uint64_t file_end_ = 0;  // bytes on disk
  std::uint64_t read_off_ = 0;  // first unread byte on disk
  std::string pending_;         // appended lines not yet on disk
  std::uint64_t unread_ = 0;    // lines on disk after read_off_ plus lines in pending_
  std::uint64_t damaged_ = 0;
  std::string error_;
};

}  // namespace nebula::node
