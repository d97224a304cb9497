// Reads the next run of COMPLETE lines of a spool file from an offset.
// A trailing line without its newline is never returned: the writer may
// still be writing it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace nebula::transport::file {

struct SpoolLine {
  std::string text;    // without "\n" (and without a trailing "\r")
  uint64_t start = 0;  // file offset of the first byte
  uint64_t end = 0;    // file offset just past the "\n"
};

struct OversizeLine {
  uint64_t start = 0;
  uint64_t end = 0;   // just past its "\n"
  std::string head;   // its first bytes, for the rejected log
};

struct LineChunk {
  std::vector<SpoolLine> lines;         // blank lines are skipped (but consumed)
  uint64_t end = 0;                     // offset after everything this chunk consumed
  std::optional<OversizeLine> oversize; // set alone: the next line is too long to submit
};

struct ChunkLimits {
  size_t max_lines = 1000;
  uint64_t max_bytes = 4 << 20;
  uint64_t max_line_bytes = 1 << 20;
};

// Reads from `offset` with pread(2). chunk.end == offset means nothing complete yet.
LineChunk read_chunk(int fd, uint64_t offset, const ChunkLimits& limits);

}  // namespace nebula::transport::file
