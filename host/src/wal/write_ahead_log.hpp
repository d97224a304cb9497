// The pool's write-ahead log: a directory of segment files of checksummed
// frames (see frame.hpp). Accepted payloads are appended before any sender
// hears "accepted"; the dispatcher appends a commit watermark as batches
// finish; a segment is deleted once every record in it is committed. On start
// the log is scanned, damage is skipped and counted, and the records above the
// watermark are handed back for replay.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace nebula::wal {

enum class FsyncPolicy {
  Always,    // one fdatasync per append, before append returns
  Batch,     // group commit: sync_to() waits for an fdatasync shared by concurrent appends
  Interval,  // fdatasync every `interval` on a background thread; sync_to() does not wait
};

struct WalOptions {
  std::filesystem::path dir;
  uint64_t segment_bytes = 64ull << 20;  // a new segment starts past this size
  FsyncPolicy fsync = FsyncPolicy::Batch;
  std::chrono::milliseconds interval{200};
  uint64_t max_bytes = 0;  // total size of all segments; 0 = no cap
};

struct RecoveryReport {
  size_t segments = 0;
  uint64_t pending_records = 0;  // records above the watermark (to replay)
  uint64_t damaged_regions = 0;
  uint64_t damaged_bytes = 0;
  uint64_t watermark = 0;
  uint64_t next_lsn = 1;
  std::vector<std::string> problems;  // one line per damaged or unreadable segment
};

struct WalStats {
  size_t segments = 0;
  uint64_t bytes = 0;
  uint64_t appended = 0;
  uint64_t fsyncs = 0;
  uint64_t write_errors = 0;
  uint64_t last_lsn = 0;
  uint64_t durable_lsn = 0;
  uint64_t watermark = 0;
  uint64_t segments_deleted = 0;
};

struct Appended {
  uint64_t lsn = 0;       // of the first record
  uint64_t last_lsn = 0;  // of the last record
  bool written = false;  // the frame is in the file (replayed after a crash)
  std::string error;     // why it is not (or, with written, why it is not durable)
  bool ok() const { return written && error.empty(); }
};

class WriteAheadLog {
 public:
  // Scans `options.dir` (created if missing) and opens a fresh segment.
  // Throws std::runtime_error only when the directory cannot be used at all.
  explicit WriteAheadLog(WalOptions options);
  ~WriteAheadLog();
  WriteAheadLog(const WriteAheadLog&) = delete;
  WriteAheadLog& operator=(const WriteAheadLog&) = delete;

  const RecoveryReport& recovery() const { return recovery_; }
  FsyncPolicy policy() const { return options_.fsync; }

  // Every record frame still on disk, in lsn order: fn(first_lsn, count,
  // payload, pending) where pending = some of its records are above the
  // recovered watermark. Call once, before new appends matter.
  using ReplayFn = std::function<void(uint64_t first_lsn, uint32_t count, std::string_view payload, bool pending)>;
  void replay(const ReplayFn& fn);

  // [thread-safe] Writes one frame holding `count` records, which get the
  // lsns first..first+count-1 (Appended::lsn is the first). With Always it
  // is also durable.
  Appended append(std::string_view payload, uint32_t count);
  // [thread-safe] Waits until `lsn` is as durable as the policy promises.
  // Returns "" or the fsync error.
  std::string sync_to(uint64_t lsn);
  // [thread-safe] Every record with lsn <= watermark is processed. Segments
  // wholly below it are deleted; before_delete runs first (outside the lock)
  // when there is something to delete.
  size_t commit(uint64_t watermark, const std::function<void()>& before_delete = {});

  WalStats stats() const;

 private:
  struct Segment {
    std::filesystem::path path;
    uint64_t id = 0;
    uint64_t bytes = 0;
    uint64_t last_record_lsn = 0;  // 0 = holds no records
  };

  void recover();
  void open_segment(std::unique_lock<std::mutex>& lock);
  void close_active(std::unique_lock<std::mutex>& lock);
  bool write_frame(const std::string& frame, std::string& error);
  std::string sync_active(std::unique_lock<std::mutex>& lock);
  void interval_loop();

  WalOptions options_;
  RecoveryReport recovery_;

  mutable std::mutex mu_;
  std::condition_variable cv_;  // syncing_ changed / stop
  std::vector<Segment> closed_;  // segments before the active one, oldest first
  Segment active_;
  int fd_ = -1;
  bool syncing_ = false;  // an fdatasync runs outside the lock
  bool stopping_ = false;
  uint64_t last_segment_id_ = 0;
  uint64_t next_lsn_ = 1;
  uint64_t written_lsn_ = 0;
  uint64_t durable_lsn_ = 0;
  uint64_t watermark_ = 0;
  uint64_t total_bytes_ = 0;
  uint64_t appended_ = 0;
  uint64_t fsyncs_ = 0;
  uint64_t write_errors_ = 0;
  uint64_t segments_deleted_ = 0;
  std::thread interval_thread_;
};

const char* to_string(FsyncPolicy policy);

}  // namespace nebula::wal
