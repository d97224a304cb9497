#include "wal/segment_files.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "nebula/atomic_file.hpp"

namespace nebula::wal {
namespace fs = std::filesystem;

std::string segment_name(uint64_t id) {
  std::string digits = std::to_string(id);
  return std::string(20 - std::min<size_t>(20, digits.size()), '0') + digits + ".wal";
}

std::optional<uint64_t> segment_id(const fs::path& file) {
  const std::string name = file.filename().string();
  if (name.size() != 24 || name.substr(20) != ".wal") return std::nullopt;
  if (!std::all_of(name.begin(), name.begin() + 20, [](char c) { return c >= '0' && c <= '9'; })) return std::nullopt;
  return std::stoull(name.substr(0, 20));
}

std::vector<fs::path> list_segments(const fs::path& dir) {
  std::vector<std::pair<uint64_t, fs::path>> found;
  for (const auto& entry : fs::directory_iterator(dir))
    if (auto id = segment_id(entry.path()); id && entry.is_regular_file()) found.emplace_back(*id, entry.path());
  std::sort(found.begin(), found.end());
  std::vector<fs::path> out;
  for (auto& [id, path] : found) out.push_back(std::move(path));
  return out;
}

std::string read_whole_file(const fs::path& file, std::string& error) {
  try {
    if (auto content = nebula::read_file(file)) return std::move(*content);
    error = "missing";
  } catch (const std::exception& e) {
    error = e.what();
  }
  return {};
}

std::string write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return std::strerror(errno);
    }
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return {};
}

std::string sync_directory(const fs::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return std::strerror(errno);
  std::string error;
  if (::fsync(fd) != 0) error = std::strerror(errno);
  ::close(fd);
  return error;
}

}  // namespace nebula::wal
