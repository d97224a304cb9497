// The on-disk frame of the write-ahead log. Every frame is length-framed and
// checksummed so a reader can tell a good frame from a torn write or a flipped
// byte, skip the damage, and find the next good frame by its magic:
//
//   magic u32 | payload length u32 | lsn u64 | type u8 | 3 zero bytes | crc32c u32 | payload
//
// The CRC-32C covers everything after the magic except itself, payload included.
// Integers are little-endian (the only byte order this host is built for).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace nebula::wal {

enum class FrameType : uint8_t {
  Records = 1,  // one accepted payload: lsn of its first record, payload = u32 record count + bytes
  Commit = 2,   // every record with lsn <= this frame's lsn has been processed
  Header = 3,   // first frame of a segment; lsn = next lsn, payload = watermark
};

inline constexpr uint32_t kFrameMagic = 0x4C41574Eu;  // "NWAL"
inline constexpr size_t kFrameHeaderBytes = 24;
inline constexpr uint32_t kMaxFramePayload = 256u << 20;

// Appends one encoded frame to `out`.
void append_frame(std::string& out, FrameType type, uint64_t lsn, std::string_view payload);

struct Frame {
  FrameType type;
  uint64_t lsn;
  std::string_view payload;  // points into the scanned buffer
  size_t offset;             // where the frame starts in the buffer
};

struct ScanResult {
  std::vector<Frame> frames;      // the good ones, in file order
  uint64_t damaged_regions = 0;   // runs of bytes that are not good frames
  uint64_t damaged_bytes = 0;
};

// Reads every good frame of a segment's bytes. Never throws on bad input.
ScanResult scan_frames(std::string_view bytes);

}  // namespace nebula::wal
