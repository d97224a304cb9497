#include "spool_tailer.hpp"

#include <fcntl.h>
#include <glob.h>
#include <sys/stat.h>
#include <unistd.h>

#include <limits>
#include <set>

namespace nebula::transport::file {
using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

namespace {

std::string key_of(const struct stat& st) {
  return std::to_string(static_cast<uint64_t>(st.st_dev)) + ":" + std::to_string(static_cast<uint64_t>(st.st_ino));
}

uint64_t size_of(int fd) {
  struct stat st {};
  return ::fstat(fd, &st) == 0 ? static_cast<uint64_t>(st.st_size) : 0;
}

// Rounds of one chunk per live file before re-scanning, so a file that is
// written non-stop cannot hide new files or rotations from us.
constexpr int kRoundsPerPoll = 64;

}  // namespace

SpoolTailer::SpoolTailer(Host host, ServerConfig config)
    : host_(std::move(host)),
      config_(std::move(config)),
      limits_{config_.max_lines_per_submit, config_.max_bytes_per_submit, config_.max_line_bytes},
      store_(host_.state_dir() / "offsets.json"),
      rejected_(host_.state_dir() / "rejected.jsonl") {}

SpoolTailer::~SpoolTailer() { stop(); }

void SpoolTailer::start() {
  if (thread_.joinable()) return;
  resume_ = store_.load();
  stopping_ = false;
  {
    std::lock_guard lock(status_mu_);
    running_ = true;
  }
  thread_ = std::thread([this] { run(); });
}

void SpoolTailer::stop() {
  if (!thread_.joinable()) return;
  {
    std::lock_guard lock(wake_mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
  close_all();
  std::lock_guard lock(status_mu_);
  running_ = false;
}

void SpoolTailer::close_all() {
  for (auto& [_, f] : files_) ::close(f.fd);
  files_.clear();
}

bool SpoolTailer::pause(milliseconds d) {
  std::unique_lock lock(wake_mu_);
  return !wake_.wait_for(lock, d, [&] { return stopping_.load(); });
}

void SpoolTailer::run() {
  while (!stopping()) {
    bool more = false;
    try {
      more = poll_once();
    } catch (const std::exception& e) {
      host_.error(std::string("file transport: ") + e.what());
      host_.count("errors");
    }
    ++polls_;
    publish_status();
    if (!more && !pause(milliseconds(config_.poll_interval_ms))) break;
  }
}

bool SpoolTailer::poll_once() {
  scan();
  // Renamed-away or removed files first: their lines are older than
  // whatever now sits under their old name.
  for (auto it = files_.begin(); it != files_.end();) {
    Tracked& f = it->second;
    if (!f.matched) {
      drain(f, std::numeric_limits<size_t>::max());
      if (stopping()) return false;
      if (finished_with(f)) {
        host_.info("file transport: done with rotated " + f.pos.path);
        ::close(f.fd);
        it = files_.erase(it);
        persist();
        continue;
      }
    }
    ++it;
  }
  for (int round = 0; round < kRoundsPerPoll; ++round) {
    bool progressed = false;
    for (auto& [_, f] : files_) {
      if (stopping()) return false;
      if (f.matched) progressed = drain(f, 1) || progressed;
    }
    if (!progressed) return false;
  }
  return true;
}

void SpoolTailer::scan() {
  std::set<std::string> seen;
  for (const auto& pattern : config_.paths) {
    glob_t g{};
    if (::glob(pattern.c_str(), 0, nullptr, &g) == 0)
      for (size_t i = 0; i < g.gl_pathc; ++i) track(g.gl_pathv[i], seen);
    ::globfree(&g);
  }
  for (auto& [key, f] : files_) {
    if (f.matched && !seen.count(key)) {
      f.matched = false;
      f.unmatched_since = Clock::now();
      ++rotations_;
      host_.count("rotations");
      host_.info("file transport: " + f.pos.path + " was renamed or removed; finishing what is left of it");
    }
  }
  if (!resume_.empty()) {  // first scan after start: positions of files we no longer see are stale
    for (auto& [key, p] : resume_)
      if (!files_.count(key)) host_.info("file transport: forgetting the position in " + p.path + " (no longer matched)");
    resume_.clear();
    persist();
  }
  publish_status();
}

void SpoolTailer::track(const std::string& path, std::set<std::string>& seen) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return;
  if (auto it = files_.find(key_of(st)); it != files_.end()) {
    seen.insert(it->first);
    it->second.pos.path = path;  // renamed to another matching name: same file, same position
    it->second.matched = true;
    return;
  }
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;  // gone again
  if (::fstat(fd, &st) != 0) {
    ::close(fd);
    return;
  }
  const std::string key = key_of(st);  // what we opened, even if replaced since stat()
  seen.insert(key);
  if (files_.count(key)) {
    ::close(fd);
    return;
  }
  Tracked f;
  f.fd = fd;
  f.pos.path = path;
  if (auto r = resume_.find(key); r != resume_.end()) {
    uint64_t hash = 0;
    const FilePosition& saved = r->second;
    if (saved.offset <= static_cast<uint64_t>(st.st_size) &&
        (saved.head_len == 0 || (hash_head(fd, saved.head_len, hash) && hash == saved.head_hash))) {
      f.pos = saved;
      f.pos.path = path;
      host_.info("file transport: resuming " + path + " at offset " + std::to_string(saved.offset));
    } else {
      ++truncations_;
      host_.count("truncations");
      host_.warn("file transport: " + path + " was truncated or rewritten while stopped; reading it from the start");
    }
  }
  files_.emplace(key, std::move(f));
}

void SpoolTailer::check_unchanged(Tracked& f) {
  bool rewritten = size_of(f.fd) < f.pos.offset;
  uint64_t hash = 0;
  if (!rewritten && f.pos.head_len > 0) rewritten = !hash_head(f.fd, f.pos.head_len, hash) || hash != f.pos.head_hash;
  if (!rewritten) return;
  ++truncations_;
  host_.count("truncations");
  host_.warn("file transport: " + f.pos.path + " was truncated at offset " + std::to_string(f.pos.offset) +
             "; reading it again from the start");
  f.pos.offset = 0;
  f.pos.head_len = 0;
  f.pos.head_hash = 0;
  persist();
}

bool SpoolTailer::drain(Tracked& f, size_t max_chunks) {
  check_unchanged(f);
  bool progressed = false;
  for (size_t i = 0; i < max_chunks && !stopping(); ++i) {
    LineChunk chunk = read_chunk(f.fd, f.pos.offset, limits_);
    if (chunk.end == f.pos.offset) break;  // nothing complete yet
    if (chunk.oversize) {
      set_aside(f, chunk.oversize->start, chunk.oversize->head,
                "line is longer than max_line_bytes (" + std::to_string(config_.max_line_bytes) +
                    "); only its first bytes are kept here");
    } else if (!chunk.lines.empty() && !submit_range(f, chunk, 0, chunk.lines.size())) {
      break;  // stopping while the host kept saying RETRY: offset stays before these lines
    }
    advance(f, chunk.end);  // also past blank lines at the end
    progressed = true;
  }
  return progressed;
}

bool SpoolTailer::submit_range(Tracked& f, const LineChunk& chunk, size_t begin, size_t end) {
  std::string payload;
  for (size_t i = begin; i < end; ++i) {
    payload += chunk.lines[i].text;
    payload += '\n';
  }
  const std::string meta = nlohmann::json{{"peer", "file:" + f.pos.path},
                                          {"transport", "file"},
                                          {"path", f.pos.path},
                                          {"offset", chunk.lines[begin].start}}
                               .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  for (;;) {
    Verdict verdict;
    host_.submit(NEBULA_FORMAT_NDJSON, payload, meta, verdict);
    switch (verdict.status()) {
      case NEBULA_OK:
        lines_submitted_ += end - begin;
        host_.count("lines_submitted", static_cast<double>(end - begin));
        if (verdict.rejected()) host_.count("records_rejected", verdict.rejected());
        advance(f, chunk.lines[end - 1].end);
        return true;
      case NEBULA_INVALID: {
        if (end - begin == 1) {
          set_aside(f, chunk.lines[begin].start, chunk.lines[begin].text, reason_from_body(verdict.body()));
          advance(f, chunk.lines[begin].end);
          return true;
        }
        const size_t mid = begin + (end - begin) / 2;
        return submit_range(f, chunk, begin, mid) && submit_range(f, chunk, mid, end);
      }
      default: {  // RETRY, IO, ...: not taken; the very same lines again, later
        ++retries_;
        host_.count("retries");
        const uint32_t wait = verdict.retry_after_ms() ? verdict.retry_after_ms() : config_.poll_interval_ms;
        if (!pause(milliseconds(wait))) return false;
      }
    }
  }
}

void SpoolTailer::set_aside(Tracked& f, uint64_t offset, std::string_view line, const nlohmann::json& reason) {
  rejected_.append(f.pos.path, offset, line, reason);
  ++lines_rejected_;
  host_.count("lines_rejected");
  host_.warn("file transport: set aside the line at " + f.pos.path + ":" + std::to_string(offset) + " in " +
             rejected_.path().string());
}

void SpoolTailer::advance(Tracked& f, uint64_t to) {
  if (to <= f.pos.offset) return;
  f.pos.offset = to;
  if (f.pos.head_len < kHeadBytes) {  // grow the fingerprint with the file, up to kHeadBytes
    uint64_t len = to < kHeadBytes ? to : kHeadBytes, hash = 0;
    if (hash_head(f.fd, len, hash)) {
      f.pos.head_len = len;
      f.pos.head_hash = hash;
    }
  }
  persist();
  publish_status();
}

bool SpoolTailer::finished_with(Tracked& f) const {
  if (Clock::now() - f.unmatched_since < milliseconds(config_.rotated_grace_ms)) return false;  // writer may lag
  const uint64_t size = size_of(f.fd);
  if (f.pos.offset >= size) return true;
  if (read_chunk(f.fd, f.pos.offset, limits_).end != f.pos.offset) return false;  // complete lines left
  host_.warn("file transport: dropping the unfinished last line of rotated " + f.pos.path + " (" +
             std::to_string(size - f.pos.offset) + " bytes)");
  host_.count("partial_lines_dropped");
  return true;
}

void SpoolTailer::persist() {
  std::map<std::string, FilePosition> positions;
  for (auto& [key, f] : files_) positions[key] = f.pos;
  store_.save(positions);
}

void SpoolTailer::publish_status() {
  nlohmann::json files = nlohmann::json::array();
  for (auto& [key, f] : files_)
    files.push_back({{"path", f.pos.path}, {"key", key}, {"offset", f.pos.offset}, {"rotated", !f.matched}});
  std::lock_guard lock(status_mu_);
  status_files_ = std::move(files);
}

nlohmann::json SpoolTailer::describe() const {
  std::lock_guard lock(status_mu_);
  return {{"paths", config_.paths},
          {"running", running_},
          {"offsets_file", store_.path().string()},
          {"rejected_file", rejected_.path().string()},
          {"files", status_files_},
          {"polls", polls_.load()},
          {"lines_submitted", lines_submitted_.load()},
          {"lines_rejected", lines_rejected_.load()},
          {"truncations", truncations_.load()},
          {"rotations", rotations_.load()},
          {"retries", retries_.load()}};
}

}  // namespace nebula::transport::file
