// Crash-safe file replacement for plugin state: a reader sees the old
// content or the new, never a torn write (write temp, fsync, rename, fsync
// the directory). Header-only so in-tree and out-of-tree plugins share it.
#pragma once

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unistd.h>

namespace nebula {

namespace detail {

[[noreturn]] inline void fail_io(const std::string& step, const std::filesystem::path& path) {
  throw std::runtime_error(step + " " + path.string() + ": " + std::strerror(errno));
}

}  // namespace detail

// Throws std::runtime_error with the failing step and errno text.
inline void write_file_atomically(const std::filesystem::path& path, std::string_view content) {
  const std::filesystem::path tmp = path.string() + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) detail::fail_io("open", tmp);
  size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int saved = errno;
      ::close(fd);
      errno = saved;
      detail::fail_io("write", tmp);
    }
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) {
    const int saved = errno;
    ::close(fd);
    errno = saved;
    detail::fail_io("fsync", tmp);
  }
  if (::close(fd) != 0) detail::fail_io("close", tmp);
  if (::rename(tmp.c_str(), path.c_str()) != 0) detail::fail_io("rename", tmp);
  // The rename itself is durable only once the directory entry is flushed.
  const std::filesystem::path dir = path.has_parent_path() ? path.parent_path() : ".";
  const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
}

// The whole file, or nullopt when it does not exist. Throws on a read error.
inline std::optional<std::string> read_file(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path.string());
  std::ostringstream buf;
  buf << in.rdbuf();
  if (in.bad()) throw std::runtime_error("cannot read " + path.string());
  return buf.str();
}

}  // namespace nebula
