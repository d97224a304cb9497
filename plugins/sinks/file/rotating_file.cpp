#include "rotating_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include <nebula/host.hpp>

namespace nebula::sink::file {
namespace fs = std::filesystem;

RotatingFile::RotatingFile(fs::path path, RotationPolicy policy, std::function<void(const std::string&)> warn)
    : path_(std::move(path)), policy_(policy), warn_(std::move(warn)) {}

RotatingFile::~RotatingFile() { close(); }

void RotatingFile::fail(const std::string& what, int err) const {
  throw Error(NEBULA_IO, what + " " + path_.string() + ": " + std::strerror(err));
}

fs::path RotatingFile::numbered(size_t n) const { return fs::path(path_.string() + "." + std::to_string(n)); }

void RotatingFile::open() {
  std::error_code ec;
  if (path_.has_parent_path()) fs::create_directories(path_.parent_path(), ec);
  if (ec) throw Error(NEBULA_IO, "cannot create the directory of " + path_.string() + ": " + ec.message());
  fd_ = ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) fail("cannot open", errno);
  struct stat st {};
  if (::fstat(fd_, &st) != 0) {
    const int err = errno;
    close();
    fail("cannot stat", err);
  }
  size_ = static_cast<uint64_t>(st.st_size);
  try {
    drop_torn_tail();
  } catch (...) {
    close();  // never append after a tail we could not check
    throw;
  }
}

void RotatingFile::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  size_ = 0;
}

// A crash in the middle of a write() can leave a last line without its
// newline; the host delivers that batch again, so the fragment is cut off
// rather than glued to the next line.
void RotatingFile::drop_torn_tail() {
  if (size_ == 0) return;
  const int rfd = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (rfd < 0) fail("cannot read back", errno);
  std::vector<char> chunk(4096);
  uint64_t keep = 0;  // length up to and including the last newline
  for (uint64_t end = size_; end > 0 && keep == 0;) {
    const uint64_t start = end > chunk.size() ? end - chunk.size() : 0;
    const ssize_t n = ::pread(rfd, chunk.data(), end - start, static_cast<off_t>(start));
    if (n != static_cast<ssize_t>(end - start)) {
      const int err = n < 0 ? errno : EIO;
      ::close(rfd);
      fail("cannot read back", err);
    }
    for (uint64_t i = end - start; i > 0 && keep == 0; --i)
      if (chunk[i - 1] == '\n') keep = start + i;
    end = start;
  }
  ::close(rfd);
  if (keep == size_) return;
  if (::ftruncate(fd_, static_cast<off_t>(keep)) != 0) fail("cannot cut the torn last line of", errno);
  warn_("cut " + std::to_string(size_ - keep) + " bytes of a torn last line off " + path_.string());
  size_ = keep;
}

void RotatingFile::rotate() {
  close();
  std::error_code ec;
  fs::remove(numbered(policy_.max_files), ec);
  for (size_t n = policy_.max_files; n > 1; --n) {
    if (!fs::exists(numbered(n - 1))) continue;
    fs::rename(numbered(n - 1), numbered(n), ec);
    if (ec) throw Error(NEBULA_IO, "cannot rotate " + numbered(n - 1).string() + ": " + ec.message());
  }
  fs::rename(path_, numbered(1), ec);
  if (ec) throw Error(NEBULA_IO, "cannot rotate " + path_.string() + ": " + ec.message());
  ++rotations_;
  open();
  if (policy_.sync) sync_directory();
}

void RotatingFile::sync_directory() const {
  const fs::path dir = path_.has_parent_path() ? path_.parent_path() : fs::path(".");
  const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0) fail("cannot open the directory of", errno);
  const int rc = ::fsync(dfd);
  const int err = errno;
  ::close(dfd);
  if (rc != 0) fail("cannot fsync the directory of", err);
}

void RotatingFile::append(std::string_view lines) {
  if (lines.empty()) return;
  if (fd_ < 0) open();
  if (size_ > 0 && size_ + lines.size() > policy_.max_bytes) rotate();

  ssize_t n;
  do n = ::write(fd_, lines.data(), lines.size());
  while (n < 0 && errno == EINTR);
  int err = n < 0 ? errno : ENOSPC;  // a short write is the disk filling up
  bool written = n == static_cast<ssize_t>(lines.size());
  if (written && policy_.sync && ::fdatasync(fd_) != 0) {
    written = false;
    err = errno;
  }
  if (!written) {
    // Not durable as a whole: take it back, so the redelivery writes it once.
    if (::ftruncate(fd_, static_cast<off_t>(size_)) != 0) {
      const int undo = errno;
      close();  // reopen next time, which cuts a torn tail
      throw Error(NEBULA_IO, "cannot append to " + path_.string() + " (" + std::strerror(err) +
                                 ") nor take the partial batch back: " + std::strerror(undo));
    }
    fail("cannot append to", err);
  }
  size_ += lines.size();
}

void RotatingFile::sync() {
  if (fd_ >= 0 && ::fdatasync(fd_) != 0) fail("cannot fdatasync", errno);
}

}  // namespace nebula::sink::file
