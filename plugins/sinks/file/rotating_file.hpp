// An append-only file of whole lines that rotates by size, like logrotate:
// `path` is renamed to path.1, path.1 to path.2 … up to path.<max_files>,
// and the oldest is deleted. A batch goes in with one write() and is cut off
// again if that write (or the fdatasync after it) fails, so the file never
// ends in a torn line and a redelivered batch is not half there twice.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

namespace nebula::sink::file {

struct RotationPolicy {
  uint64_t max_bytes = 0;  // a batch that would take the file past this goes to a fresh file
  size_t max_files = 0;    // rotated files kept
  bool sync = false;       // fdatasync after each append (and the directory after a rotation)
};

class RotatingFile {
 public:
  // `warn` hears about repairs (a torn tail left by a crash is cut off on open).
  RotatingFile(std::filesystem::path path, RotationPolicy policy, std::function<void(const std::string&)> warn);
  ~RotatingFile();
  RotatingFile(const RotatingFile&) = delete;
  RotatingFile& operator=(const RotatingFile&) = delete;

  // Appends `lines` (whole lines, each ending in '\n'), opening the file
  // (and its parent directories) when needed and rotating first when the
  // batch would not fit. Throws nebula::Error(NEBULA_IO) naming the file and
  // the reason; the file is then as it was before the call.
  void append(std::string_view lines);
  // fdatasync of what is written (drain); a no-op while nothing is open.
  void sync();

  const std::filesystem::path& path() const { return path_; }
  uint64_t size() const { return size_; }
  uint64_t rotations() const { return rotations_; }

 private:
  void open();
  void close();
  void rotate();
  void drop_torn_tail();
  void sync_directory() const;
  std::filesystem::path numbered(size_t n) const;
  [[noreturn]] void fail(const std::string& what, int err) const;

  std::filesystem::path path_;
  RotationPolicy policy_;
  std::function<void(const std::string&)> warn_;
  int fd_ = -1;
  uint64_t size_ = 0;
  uint64_t rotations_ = 0;
};

}  // namespace nebula::sink::file
