#include "spool_writer.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "batch_lines.hpp"

namespace nebula::transport::file {
namespace {

Delivery retry(const std::string& path, const std::string& what, int err) {
  Delivery d;
  d.status = NEBULA_RETRY;
  d.message = what + " " + path + ": " + std::strerror(err);
  return d;
}

// Closes the descriptor (and so drops the flock) on every path out.
struct Fd {
  int fd;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

std::string parse_file_endpoint(std::string_view url) {
  constexpr std::string_view scheme = "file://";
  if (url.substr(0, scheme.size()) != scheme || url.size() <= scheme.size() || url[scheme.size()] != '/')
    throw Error(NEBULA_INVALID, "endpoint '" + std::string(url) + "': expected file:///absolute/path");
  std::string path(url.substr(scheme.size()));
  if (path.back() == '/') throw Error(NEBULA_INVALID, "endpoint '" + std::string(url) + "' names a directory");
  return path;
}

SpoolWriter::SpoolWriter(std::string endpoint, const nlohmann::json& config) : path_(parse_file_endpoint(endpoint)) {
  ConfigErrors errors;
  config_ = read_client_config(config, errors);
  if (!errors.empty()) throw Error(NEBULA_INVALID, errors.text());
}

Delivery SpoolWriter::deliver(std::string_view batch_json) {
  const BatchLines lines = batch_to_lines(batch_json);
  Delivery d;
  d.status = NEBULA_OK;
  d.message = "appended";
  if (lines.count == 0) return d;

  // Opened per batch so a rotation (rename) is followed at once.
  Fd f{::open(path_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644)};
  if (f.fd < 0) return retry(path_, "cannot open", errno);
  while (::flock(f.fd, LOCK_EX) != 0)
    if (errno != EINTR) return retry(path_, "cannot lock", errno);
  struct stat st {};
  if (::fstat(f.fd, &st) != 0) return retry(path_, "cannot stat", errno);

  ssize_t n;
  do n = ::write(f.fd, lines.text.data(), lines.text.size());
  while (n < 0 && errno == EINTR);
  if (n != static_cast<ssize_t>(lines.text.size())) {
    const int err = n < 0 ? errno : ENOSPC;
    // A torn batch would hand the reader a prefix; cut it off again (we
    // hold the lock, so nobody appended after us).
    if (n > 0 && ::ftruncate(f.fd, st.st_size) != 0) {
      d.status = NEBULA_IO;
      d.message = "short write to " + path_ + " and could not undo it: " + std::strerror(errno);
      return d;
    }
    return retry(path_, "cannot append to", err);
  }
  if (config_.fsync && ::fdatasync(f.fd) != 0) return retry(path_, "cannot fdatasync", errno);
  d.accepted = static_cast<uint32_t>(lines.count);
  return d;
}

}  // namespace nebula::transport::file
