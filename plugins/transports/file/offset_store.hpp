// Per-file read positions, persisted in <state_dir>/offsets.json with an
// atomic replace (write temp, fsync, rename, fsync dir), so a crash leaves
// either the old or the new positions, never a torn file.
//
// Keyed by "<device>:<inode>" so a renamed file keeps its position. A small
// fingerprint of the file's first bytes guards against inode reuse and
// in-place rewrites between runs.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>

namespace nebula::transport::file {

struct FilePosition {
  std::string path;        // last path it was seen under (for people and logs)
  uint64_t offset = 0;     // bytes already handed over (always at a line end)
  uint64_t head_len = 0;   // fingerprinted prefix length (<= kHeadBytes)
  uint64_t head_hash = 0;  // FNV-1a of that prefix
};

inline constexpr uint64_t kHeadBytes = 1024;

class OffsetStore {
 public:
  explicit OffsetStore(std::filesystem::path file) : file_(std::move(file)) {}

  // Throws nebula::Error(NEBULA_INVALID) for a damaged file (rather than
  // silently re-reading every spool from the start); a missing file is empty.
  std::map<std::string, FilePosition> load() const;
  // Throws nebula::Error(NEBULA_IO) when the new file cannot be made durable.
  void save(const std::map<std::string, FilePosition>& positions) const;

  const std::filesystem::path& path() const { return file_; }

 private:
  std::filesystem::path file_;
};

// FNV-1a of the first min(len, kHeadBytes) bytes of fd; false when the file
// is shorter than that (it was truncated).
bool hash_head(int fd, uint64_t len, uint64_t& out);

}  // namespace nebula::transport::file
