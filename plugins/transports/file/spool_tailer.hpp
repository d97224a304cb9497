// Server side of the file transport: tails JSONL spool files matched by glob
// patterns on one thread, hands complete lines to the host as NDJSON and
// moves a file's persisted offset forward only once the host accepted them.
//
//  - Files are tracked by device+inode and kept open, so after a rename
//    rotation the old inode is finished before the new file (read from 0).
//  - size < offset, or a changed first-bytes fingerprint, means the file was
//    truncated or rewritten: it is read again from 0 (counted).
//  - RETRY (or IO): wait retry_after_ms, submit the same lines again.
//  - INVALID: split the chunk in halves until the bad lines are isolated, so
//    one bad line never takes good ones with it; bad lines go to
//    <state_dir>/rejected.jsonl and the offset moves past them.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <thread>

#include <nlohmann/json.hpp>

#include <nebula/host.hpp>

#include "file_config.hpp"
#include "line_chunk.hpp"
#include "offset_store.hpp"
#include "rejected_log.hpp"

namespace nebula::transport::file {

class SpoolTailer {
 public:
  SpoolTailer(Host host, ServerConfig config);
  ~SpoolTailer();
  SpoolTailer(const SpoolTailer&) = delete;
  SpoolTailer& operator=(const SpoolTailer&) = delete;

  // Loads offsets.json (throws nebula::Error on a damaged one) and starts tailing.
  void start();
  // Lets the submission in flight finish, then joins. Idempotent.
  void stop();
  // [thread-safe]
  nlohmann::json describe() const;

 private:
  struct Tracked {
    int fd = -1;
    FilePosition pos;
    bool matched = true;  // still reachable under a watched pattern
    std::chrono::steady_clock::time_point unmatched_since;
  };

  void run();
  bool poll_once();  // true when it stopped early because there is more to read
  void scan();
  void track(const std::string& path, std::set<std::string>& seen);
  void check_unchanged(Tracked& f);
  bool drain(Tracked& f, size_t max_chunks);
  bool submit_range(Tracked& f, const LineChunk& chunk, size_t begin, size_t end);
  void set_aside(Tracked& f, uint64_t offset, std::string_view line, const nlohmann::json& reason);
  void advance(Tracked& f, uint64_t to);
  bool finished_with(Tracked& f) const;
  void persist();
  void publish_status();
  bool pause(std::chrono::milliseconds d);  // false when stop() interrupted it
  bool stopping() const { return stopping_.load(); }
  void close_all();

  Host host_;
  ServerConfig config_;
  ChunkLimits limits_;
  OffsetStore store_;
  RejectedLog rejected_;

  // Tailer thread only.
  std::map<std::string, Tracked> files_;        // by "<dev>:<ino>"
  std::map<std::string, FilePosition> resume_;  // loaded positions, until the first scan

  std::thread thread_;
  std::mutex wake_mu_;
  std::condition_variable wake_;
  std::atomic<bool> stopping_{false};

  mutable std::mutex status_mu_;
  nlohmann::json status_files_ = nlohmann::json::array();
  bool running_ = false;
  std::atomic<uint64_t> polls_{0}, lines_submitted_{0}, lines_rejected_{0}, truncations_{0}, rotations_{0},
      retries_{0};
};

}  // namespace nebula::transport::file
