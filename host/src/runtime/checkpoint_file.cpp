#include "runtime/checkpoint_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

namespace nebula::host {

std::string write_checkpoint(const std::string& path, const std::function<nebula_status(const nebula_sink*)>& write) {
  const std::string tmp = path + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return "cannot open " + tmp + ": " + std::strerror(errno);
  struct Ctx {
    int fd;
    int error;
  } ctx{fd, 0};
  nebula_sink sink{&ctx, [](void* c, const void* data, size_t len) -> nebula_status {
                     auto* k = static_cast<Ctx*>(c);
                     const char* p = static_cast<const char*>(data);
                     while (len > 0) {
                       ssize_t n = ::write(k->fd, p, len);
                       if (n < 0) {
                         if (errno == EINTR) continue;
                         k->error = errno;
                         return NEBULA_IO;
                       }
                       p += n;
                       len -= static_cast<size_t>(n);
                     }
                     return NEBULA_OK;
                   }};
  nebula_status st = write(&sink);
  bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (st != NEBULA_OK || ctx.error || !synced) {
    ::unlink(tmp.c_str());
    return ctx.error ? std::string("write failed: ") + std::strerror(ctx.error)
                     : "plugin save failed with status " + std::to_string(st);
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) return "rename to " + path + " failed: " + std::strerror(errno);
  // Make the rename itself durable.
  int dir = ::open(std::filesystem::path(path).parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
  return {};
}

std::string read_checkpoint(const std::string& path, const std::function<nebula_status(const nebula_source*)>& read,
                            bool& missing) {
  missing = false;
  FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) {
    missing = errno == ENOENT;
    return missing ? std::string() : "cannot open " + path + ": " + std::strerror(errno);
  }
  nebula_source source{f, [](void* c, void* buf, size_t cap) -> int64_t {
                         FILE* file = static_cast<FILE*>(c);
                         size_t n = std::fread(buf, 1, cap, file);
                         if (n == 0 && std::ferror(file)) return -1;
                         return static_cast<int64_t>(n);
                       }};
  nebula_status st = read(&source);
  std::fclose(f);
  return st == NEBULA_OK ? std::string() : "load failed with status " + std::to_string(st);
}

}  // namespace nebula::host
