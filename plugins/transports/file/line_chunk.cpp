#include "line_chunk.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace nebula::transport::file {
namespace {

constexpr size_t kBlock = 64 * 1024;
constexpr size_t kHeadKept = 256;

// Reads the block at `at`; 0 at end of file.
ssize_t read_block(int fd, char* buf, uint64_t at) {
  for (;;) {
    ssize_t n = ::pread(fd, buf, kBlock, static_cast<off_t>(at));
    if (n < 0 && errno == EINTR) continue;
    return n;
  }
}

// Offset of the next "\n" at or after `from`, if the file has one yet.
std::optional<uint64_t> find_newline(int fd, uint64_t from) {
  std::string block(kBlock, '\0');
  for (;;) {
    ssize_t n = read_block(fd, block.data(), from);
    if (n <= 0) return std::nullopt;
    if (const void* p = std::memchr(block.data(), '\n', static_cast<size_t>(n)))
      return from + static_cast<uint64_t>(static_cast<const char*>(p) - block.data());
    from += static_cast<uint64_t>(n);
  }
}

bool is_blank(const std::string& s) { return s.find_first_not_of(" \t") == std::string::npos; }

}  // namespace

LineChunk read_chunk(int fd, uint64_t offset, const ChunkLimits& limits) {
  LineChunk chunk;
  chunk.end = offset;
  std::string buf;          // file bytes from buf_start on
  uint64_t buf_start = offset;
  size_t line_start = 0;    // in buf
  size_t scan = 0;          // no "\n" in buf before this
  uint64_t bytes = 0;
  std::string block(kBlock, '\0');

  // A line over the limit: returned alone (once its end is on disk) so the
  // caller can set it aside without ever holding it in memory.
  auto oversize = [&](std::optional<uint64_t> newline_at) {
    if (!chunk.lines.empty() || chunk.end != offset) return;  // hand over what precedes it first
    if (!newline_at) newline_at = find_newline(fd, buf_start + buf.size());
    if (!newline_at) return;  // not finished yet: wait
    chunk.oversize = OversizeLine{buf_start + line_start, *newline_at + 1, buf.substr(line_start, kHeadKept)};
    chunk.end = *newline_at + 1;
  };

  while (chunk.lines.size() < limits.max_lines) {
    const size_t nl = buf.find('\n', scan);
    if (nl == std::string::npos) {
      if (buf.size() - line_start > limits.max_line_bytes) {
        oversize(std::nullopt);
        return chunk;
      }
      ssize_t n = read_block(fd, block.data(), buf_start + buf.size());
      if (n <= 0) return chunk;  // end of file: a partial line waits for its newline
      scan = buf.size();
      buf.append(block.data(), static_cast<size_t>(n));
      continue;
    }
    const size_t len = nl - line_start;
    if (len > limits.max_line_bytes) {
      oversize(buf_start + nl);
      return chunk;
    }
    if (!chunk.lines.empty() && bytes + len + 1 > limits.max_bytes) return chunk;
    std::string text = buf.substr(line_start, len);
    if (!text.empty() && text.back() == '\r') text.pop_back();
    if (!is_blank(text)) {
      chunk.lines.push_back({std::move(text), buf_start + line_start, buf_start + nl + 1});
      bytes += len + 1;
    }
    chunk.end = buf_start + nl + 1;
    line_start = scan = nl + 1;
    if (line_start >= kBlock) {  // keep the buffer to about one line plus one block
      buf.erase(0, line_start);
      buf_start += line_start;
      scan -= line_start;
      line_start = 0;
    }
  }
  return chunk;
}

}  // namespace nebula::transport::file
