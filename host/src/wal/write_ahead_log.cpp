#include "wal/write_ahead_log.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "wal/frame.hpp"
#include "wal/segment_files.hpp"

namespace nebula::wal {
namespace fs = std::filesystem;

const char* to_string(FsyncPolicy policy) {
  switch (policy) {
    case FsyncPolicy::Always: return "always";
    case FsyncPolicy::Batch: return "batch";
    case FsyncPolicy::Interval: return "interval";
  }
  return "?";
}

namespace {

std::string u64_bytes(uint64_t v) {
  std::string out(8, '\0');
  std::memcpy(out.data(), &v, 8);
  return out;
}

uint64_t u64_from(std::string_view bytes) {
  uint64_t v = 0;
  if (bytes.size() >= 8) std::memcpy(&v, bytes.data(), 8);
  return v;
}

// A records frame's payload is its record count (u32) then the caller's bytes.
uint32_t record_count(std::string_view frame_payload) {
  uint32_t n = 0;
  if (frame_payload.size() >= 4) std::memcpy(&n, frame_payload.data(), 4);
  return n;
}

}  // namespace

WriteAheadLog::WriteAheadLog(WalOptions options) : options_(std::move(options)) {
  std::error_code ec;
  fs::create_directories(options_.dir, ec);
  if (ec) throw std::runtime_error("write-ahead log: cannot create " + options_.dir.string() + ": " + ec.message());
  recover();
  std::unique_lock lock(mu_);
  open_segment(lock);
  if (fd_ < 0) throw std::runtime_error("write-ahead log: cannot open a segment in " + options_.dir.string());
  if (options_.fsync == FsyncPolicy::Interval) interval_thread_ = std::thread([this] { interval_loop(); });
}

WriteAheadLog::~WriteAheadLog() {
  {
    std::unique_lock lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (interval_thread_.joinable()) interval_thread_.join();
  std::unique_lock lock(mu_);
  close_active(lock);
}

// Reads every segment once: the watermark, the next lsn, the records still
// to replay and the damage. Damaged segments stay until they are committed.
void WriteAheadLog::recover() {
  uint64_t max_lsn = 0;
  std::vector<std::pair<uint64_t, uint64_t>> ranges;  // first, last lsn of each records frame
  for (const auto& path : list_segments(options_.dir)) {
    Segment segment{path, *segment_id(path), 0, 0};
    std::string error;
    const std::string bytes = read_whole_file(path, error);
    segment.bytes = bytes.size();
    if (!error.empty()) recovery_.problems.push_back(path.filename().string() + ": " + error);
    const ScanResult scan = scan_frames(bytes);
    for (const Frame& f : scan.frames) {
      if (f.type == FrameType::Records) {
        const uint64_t last = f.lsn + std::max<uint32_t>(record_count(f.payload), 1) - 1;
        ranges.emplace_back(f.lsn, last);
        segment.last_record_lsn = std::max(segment.last_record_lsn, last);
        max_lsn = std::max(max_lsn, last);
      } else if (f.type == FrameType::Commit) {
        watermark_ = std::max(watermark_, f.lsn);
      } else {
        next_lsn_ = std::max(next_lsn_, f.lsn);
        watermark_ = std::max(watermark_, u64_from(f.payload));
      }
    }
    if (scan.damaged_regions) {
      recovery_.damaged_regions += scan.damaged_regions;
      recovery_.damaged_bytes += scan.damaged_bytes;
      recovery_.problems.push_back(path.filename().string() + ": skipped " + std::to_string(scan.damaged_bytes) +
                                   " damaged byte(s) in " + std::to_string(scan.damaged_regions) + " region(s)");
    }
    total_bytes_ += segment.bytes;
    last_segment_id_ = std::max(last_segment_id_, segment.id);
    closed_.push_back(std::move(segment));
  }
  next_lsn_ = std::max(next_lsn_, max_lsn + 1);
  for (const auto& [first, last] : ranges)
    if (last > watermark_) recovery_.pending_records += last - std::max(first, watermark_ + 1) + 1;
  recovery_.segments = closed_.size();
  recovery_.watermark = watermark_;
  recovery_.next_lsn = next_lsn_;
  written_lsn_ = durable_lsn_ = next_lsn_ - 1;
}

void WriteAheadLog::replay(const ReplayFn& fn) {
  std::vector<fs::path> paths;
  {
    std::lock_guard lock(mu_);
    for (const auto& s : closed_) paths.push_back(s.path);
  }
  for (const auto& path : paths) {
    std::string error;
    const std::string bytes = read_whole_file(path, error);
    for (const Frame& f : scan_frames(bytes).frames) {
      if (f.type != FrameType::Records || f.payload.size() < 4) continue;
      const uint32_t count = record_count(f.payload);
      fn(f.lsn, count, f.payload.substr(4), f.lsn + count - 1 > recovery_.watermark);
    }
  }
}

// A new active segment whose first frame carries the next lsn and the
// watermark, so they survive even when every older segment is deleted.
void WriteAheadLog::open_segment(std::unique_lock<std::mutex>& lock) {
  cv_.wait(lock, [&] { return !syncing_; });
  const uint64_t id = ++last_segment_id_;
  const fs::path path = options_.dir / segment_name(id);
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0640);
  if (fd < 0) {
    ++write_errors_;
    return;
  }
  std::string header;
  append_frame(header, FrameType::Header, next_lsn_, u64_bytes(watermark_));
  if (!write_all(fd, header).empty() || ::fdatasync(fd) != 0 || !sync_directory(options_.dir).empty()) {
    ::close(fd);
    std::error_code ec;
    fs::remove(path, ec);
    ++write_errors_;
    return;
  }
  fd_ = fd;
  active_ = Segment{path, id, header.size(), 0};
  total_bytes_ += header.size();
}

// Makes everything written so far durable and moves the active segment to
// the closed list. Waits for an fdatasync running outside the lock first.
void WriteAheadLog::close_active(std::unique_lock<std::mutex>& lock) {
  cv_.wait(lock, [&] { return !syncing_; });
  if (fd_ < 0) return;
  if (::fdatasync(fd_) == 0) durable_lsn_ = written_lsn_;
  ::close(fd_);
  fd_ = -1;
  closed_.push_back(active_);
}

bool WriteAheadLog::write_frame(const std::string& frame, std::string& error) {
  error = write_all(fd_, frame);
  if (error.empty()) {
    active_.bytes += frame.size();
    total_bytes_ += frame.size();
    return true;
  }
  // Cut a partial frame off so the segment stays clean for the next append.
  if (::ftruncate(fd_, static_cast<off_t>(active_.bytes)) != 0) {
    ::close(fd_);  // a later append starts a new segment
    fd_ = -1;
    closed_.push_back(active_);
  }
  ++write_errors_;
  return false;
}

// fdatasync of the active segment, run outside the lock so appends continue.
std::string WriteAheadLog::sync_active(std::unique_lock<std::mutex>& lock) {
  cv_.wait(lock, [&] { return !syncing_; });
  if (fd_ < 0) return "no open segment";
  syncing_ = true;
  const int fd = fd_;
  const uint64_t target = written_lsn_;
  lock.unlock();
  const int rc = ::fdatasync(fd);
  const int err = errno;
  lock.lock();
  syncing_ = false;
  ++fsyncs_;
  cv_.notify_all();
  if (rc != 0) {
    ++write_errors_;
    return std::string("fdatasync: ") + std::strerror(err);
  }
  durable_lsn_ = std::max(durable_lsn_, target);
  return {};
}

Appended WriteAheadLog::append(std::string_view payload, uint32_t count) {
  std::string body;
  body.reserve(4 + payload.size());
  body.append(reinterpret_cast<const char*>(&count), 4);
  body.append(payload);
  std::unique_lock lock(mu_);
  Appended out;
  std::string frame;
  frame.reserve(kFrameHeaderBytes + body.size());
  append_frame(frame, FrameType::Records, next_lsn_, body);
  const bool roll_over = fd_ >= 0 && active_.last_record_lsn && active_.bytes + frame.size() > options_.segment_bytes;
  const uint64_t needed = frame.size() + (roll_over || fd_ < 0 ? kFrameHeaderBytes + 8 : 0);
  if (options_.max_bytes && total_bytes_ + needed > options_.max_bytes) {
    out.error = "write-ahead log is full (" + std::to_string(total_bytes_) + " of wal.max_bytes " +
                std::to_string(options_.max_bytes) + " bytes in use)";
    return out;
  }
  if (roll_over) close_active(lock);
  if (fd_ < 0) open_segment(lock);
  if (fd_ < 0) {
    out.error = "write-ahead log: cannot open a new segment in " + options_.dir.string();
    return out;
  }
  if (!write_frame(frame, out.error)) {
    out.error = "write-ahead log write failed: " + out.error;
    return out;
  }
  out.written = true;
  out.lsn = next_lsn_;
  out.last_lsn = next_lsn_ + std::max<uint32_t>(count, 1) - 1;
  next_lsn_ = out.last_lsn + 1;
  written_lsn_ = out.last_lsn;
  active_.last_record_lsn = out.last_lsn;
  ++appended_;
  if (options_.fsync == FsyncPolicy::Always) out.error = sync_active(lock);
  return out;
}

std::string WriteAheadLog::sync_to(uint64_t lsn) {
  if (options_.fsync == FsyncPolicy::Interval) return {};
  std::unique_lock lock(mu_);
  while (durable_lsn_ < lsn) {
    if (syncing_) {
      cv_.wait(lock);  // someone else's fdatasync may cover us
      continue;
    }
    if (auto error = sync_active(lock); !error.empty()) return error;
  }
  return {};
}

void WriteAheadLog::interval_loop() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    cv_.wait_for(lock, options_.interval, [&] { return stopping_; });
    if (!stopping_ && fd_ >= 0 && durable_lsn_ < written_lsn_) sync_active(lock);
  }
}

size_t WriteAheadLog::commit(uint64_t watermark, const std::function<void()>& before_delete) {
  std::vector<fs::path> doomed;
  {
    std::unique_lock lock(mu_);
    if (watermark <= watermark_) return 0;
    watermark_ = watermark;
    if (fd_ >= 0) {
      std::string frame, error;
      append_frame(frame, FrameType::Commit, watermark, {});
      write_frame(frame, error);  // a lost commit only means replaying processed records
    }
    std::vector<Segment> kept;
    for (auto& s : closed_) {
      if (s.last_record_lsn <= watermark) {
        doomed.push_back(s.path);
        total_bytes_ -= s.bytes;
      } else {
        kept.push_back(std::move(s));
      }
    }
    closed_ = std::move(kept);
    segments_deleted_ += doomed.size();
  }
  if (doomed.empty()) return 0;
  if (before_delete) before_delete();
  for (const auto& path : doomed) {
    std::error_code ec;
    fs::remove(path, ec);
  }
  sync_directory(options_.dir);
  return doomed.size();
}

WalStats WriteAheadLog::stats() const {
  std::lock_guard lock(mu_);
  WalStats s;
  s.segments = closed_.size() + (fd_ >= 0 ? 1 : 0);
  s.bytes = total_bytes_;
  s.appended = appended_;
  s.fsyncs = fsyncs_;
  s.write_errors = write_errors_;
  s.last_lsn = written_lsn_;
  s.durable_lsn = durable_lsn_;
  s.watermark = watermark_;
  s.segments_deleted = segments_deleted_;
  return s;
}

}  // namespace nebula::wal
