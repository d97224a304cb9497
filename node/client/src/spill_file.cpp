#include "spill_file.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace nebula::node {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t kChunk = 64 * 1024;
constexpr std::size_t kSyncThreshold = 256 * 1024;  // bounds the write buffer between maintenance syncs

std::string errno_text(const std::string& what) { return what + ": " + std::strerror(errno); }

// Writes all of [data, data+len); returns bytes written before an error.
std::size_t write_all(int fd, const char* data, std::size_t len) {
  std::size_t done = 0;
  while (done < len) {
    const ssize_t n = ::write(fd, data + done, len - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<std::size_t>(n);
  }
  return done;
}

ssize_t pread_retry(int fd, char* buf, std::size_t len, std::uint64_t off) {
  for (;;) {
    const ssize_t n = ::pread(fd, buf, len, static_cast<off_t>(off));
    if (n < 0 && errno == EINTR) continue;
    return n;
  }
}

}  // namespace

SpillFile::SpillFile(fs::path dir) : dir_(std::move(dir)), path_(dir_ / "spill.jsonl") {
  std::error_code ec;
  fs::create_directories(dir_, ec);
  if (ec) throw std::runtime_error("spill_dir " + dir_.string() + ": " + ec.message());

  const std::string lock_path = (dir_ / "spill.lock").string();
  lock_fd_ = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (lock_fd_ < 0) throw std::runtime_error(errno_text("cannot open " + lock_path));
  if (::flock(lock_fd_, LOCK_EX | LOCK_NB) != 0) {
    ::close(lock_fd_);
    throw std::runtime_error("spill_dir " + dir_.string() + " is in use by another nebula_node client");
  }
  fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd_ < 0) {
    const std::string why = errno_text("cannot open " + path_.string());
    ::close(lock_fd_);
    throw std::runtime_error(why);
  }
  struct stat st {};
  ::fstat(fd_, &st);
  file_end_ = static_cast<std::uint64_t>(st.st_size);
  repair_torn_tail();
  each_line(0, file_end_, [this](std::string_view) {
    ++unread_;
    return true;
  });
  reset_if_drained();
}

SpillFile::~SpillFile() {
  sync();
  if (fd_ >= 0) ::close(fd_);
  if (lock_fd_ >= 0) ::close(lock_fd_);  // releases the flock
}

void SpillFile::repair_torn_tail() {
  // Cut back to just after the last newline: a crash can leave half a line.
  std::uint64_t end = file_end_;
  std::string buf;
  while (end > 0) {
    const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(end, kChunk));
    buf.resize(n);
    if (pread_retry(fd_, buf.data(), n, end - n) != static_cast<ssize_t>(n)) break;
    const auto nl = buf.rfind('\n');
    if (nl != std::string::npos) {
      end = end - n + nl + 1;
      break;
    }
    end -= n;
  }
  if (end != file_end_ && ::ftruncate(fd_, static_cast<off_t>(end)) == 0) {
    ++damaged_;
    file_end_ = end;
  }
}

std::uint64_t SpillFile::each_line(std::uint64_t from, std::uint64_t to,
                                   const std::function<bool(std::string_view)>& fn) const {
  std::string buf;
  std::uint64_t buf_start = from;  // file offset of buf[0]
  std::uint64_t next_read = from;
  for (;;) {
    std::size_t start = 0;
    for (auto nl = buf.find('\n'); nl != std::string::npos; nl = buf.find('\n', start)) {
      if (!fn(std::string_view(buf).substr(start, nl - start))) return buf_start + start;
      start = nl + 1;
    }
    buf.erase(0, start);
    buf_start += start;
    if (next_read >= to) return buf_start;
    const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(to - next_read, kChunk));
    const std::size_t old = buf.size();
    buf.resize(old + want);
    const ssize_t got = pread_retry(fd_, buf.data() + old, want, next_read);
    if (got <= 0) return buf_start;
    buf.resize(old + static_cast<std::size_t>(got));
    next_read += static_cast<std::uint64_t>(got);
  }
}

void SpillFile::scan(const std::function<void(const SpillLine&)>& fn) {
  sync();
  each_line(read_off_, file_end_, [&](std::string_view line) {
    if (auto l = decode_spill_line(line)) fn(*l);
    return true;
  });
}

void SpillFile::append(std::string_view node_id, std::int64_t seq, std::string_view record) {
  encode_spill_line(pending_, node_id, seq, record);
  ++unread_;
  if (pending_.size() >= kSyncThreshold) sync();
}

bool SpillFile::sync() {
  if (pending_.empty()) return true;
  const std::size_t done = write_all(fd_, pending_.data(), pending_.size());
  file_end_ += done;
  pending_.erase(0, done);
  if (!pending_.empty()) {
    error_ = errno_text("spill write to " + path_.string() + " failed; keeping records in memory");
    return false;
  }
  return true;
}

std::size_t SpillFile::read(std::size_t max, std::vector<SpillLine>& out) {
  sync();
  std::size_t consumed = 0;
  auto take = [&](std::string_view line) {
    if (consumed == max) return false;
    ++consumed;
    if (auto l = decode_spill_line(line)) out.push_back(std::move(*l));
    else ++damaged_;
    return true;
  };
  read_off_ = each_line(read_off_, file_end_, take);
  // Lines the disk would not take are still readable from memory; only when
  // the file is fully read and on a line boundary, to keep the order.
  if (consumed < max && read_off_ == file_end_ && !pending_.empty()) {
    std::size_t start = 0;
    for (auto nl = pending_.find('\n'); nl != std::string::npos; nl = pending_.find('\n', start)) {
      if (!take(std::string_view(pending_).substr(start, nl - start))) break;
      start = nl + 1;
    }
    pending_.erase(0, start);
  }
  unread_ -= std::min<std::uint64_t>(unread_, consumed);
  reset_if_drained();
  return consumed;
}

void SpillFile::reset_if_drained() {
  if (unread_ != 0 || !pending_.empty() || file_end_ == 0) return;
  if (::ftruncate(fd_, 0) == 0) file_end_ = read_off_ = 0;
}

void SpillFile::rewrite_with_front(const std::vector<SpillLine>& front) {
  sync();
  const fs::path tmp = dir_ / "spill.jsonl.tmp";
  const int out = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (out < 0) throw std::runtime_error(errno_text("cannot create " + tmp.string()));
  bool ok = true;
  std::string text;
  for (const auto& l : front) {
    encode_spill_line(text, l.node_id, l.seq, l.record);
    if (text.size() >= kChunk) {
      ok = ok && write_all(out, text.data(), text.size()) == text.size();
      text.clear();
    }
  }
  // The unread bytes verbatim: a line may be half on disk, half in pending_.
  std::string chunk(kChunk, '\0');
  for (std::uint64_t off = read_off_; ok && off < file_end_;) {
    const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(file_end_ - off, kChunk));
    const ssize_t got = pread_retry(fd_, chunk.data(), want, off);
    if (got <= 0) {
      ok = false;
      break;
    }
    text.append(chunk.data(), static_cast<std::size_t>(got));
    off += static_cast<std::uint64_t>(got);
    if (text.size() >= kChunk) {
      ok = ok && write_all(out, text.data(), text.size()) == text.size();
      text.clear();
    }
  }
  text += pending_;
  ok = ok && write_all(out, text.data(), text.size()) == text.size();
  ok = ok && ::fsync(out) == 0;
  ::close(out);
  if (!ok || ::rename(tmp.c_str(), path_.c_str()) != 0) {
    const std::string why = errno_text("cannot write " + tmp.string());
    ::unlink(tmp.c_str());
    throw std::runtime_error(why);
  }
  if (const int d = ::open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); d >= 0) {
    ::fsync(d);  // the rename itself must survive a power cut
    ::close(d);
  }
  ::close(fd_);
  fd_ = ::open(path_.c_str(), O_RDWR | O_APPEND | O_CLOEXEC);
  if (fd_ < 0) throw std::runtime_error(errno_text("cannot reopen " + path_.string()));
  struct stat st {};
  ::fstat(fd_, &st);
  file_end_ = static_cast<std::uint64_t>(st.st_size);
  read_off_ = 0;
  pending_.clear();
  unread_ += front.size();
}

}  // namespace nebula::node
