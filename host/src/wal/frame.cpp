#include "wal/frame.hpp"

#include <cstring>

#include "wal/crc32c.hpp"

namespace nebula::wal {
namespace {

template <class T>
void put(std::string& out, T value) {
  char bytes[sizeof(T)];
  std::memcpy(bytes, &value, sizeof(T));
  out.append(bytes, sizeof(T));
}

template <class T>
T get(const char* p) {
  T value;
  std::memcpy(&value, p, sizeof(T));
  return value;
}

uint32_t frame_crc(const char* header, std::string_view payload) {
  const uint32_t fields = crc32c(0, std::string_view(header + 4, 16));  // length, lsn, type, padding
  return crc32c(fields, payload);
}

bool known_type(uint8_t t) {
  return t >= static_cast<uint8_t>(FrameType::Records) && t <= static_cast<uint8_t>(FrameType::Header);
}

// The frame starting at `pos`, if it is whole and its checksum holds.
bool parse_at(std::string_view bytes, size_t pos, Frame& out) {
  if (bytes.size() - pos < kFrameHeaderBytes) return false;
  const char* h = bytes.data() + pos;
  if (get<uint32_t>(h) != kFrameMagic) return false;
  const uint32_t length = get<uint32_t>(h + 4);
  const auto type = static_cast<uint8_t>(h[16]);
  if (!known_type(type) || h[17] || h[18] || h[19] || length > kMaxFramePayload) return false;
  if (bytes.size() - pos - kFrameHeaderBytes < length) return false;
  std::string_view payload(h + kFrameHeaderBytes, length);
  if (get<uint32_t>(h + 20) != frame_crc(h, payload)) return false;
  out = Frame{static_cast<FrameType>(type), get<uint64_t>(h + 8), payload, pos};
  return true;
}

// The next offset after `pos` where a good frame starts, or bytes.size().
size_t resync(std::string_view bytes, size_t pos) {
  char magic[4];
  std::memcpy(magic, &kFrameMagic, 4);
  const std::string_view needle(magic, 4);
  Frame ignored{};
  for (size_t at = bytes.find(needle, pos + 1); at != std::string_view::npos; at = bytes.find(needle, at + 1))
    if (parse_at(bytes, at, ignored)) return at;
  return bytes.size();
}

}  // namespace

void append_frame(std::string& out, FrameType type, uint64_t lsn, std::string_view payload) {
  const size_t start = out.size();
  put<uint32_t>(out, kFrameMagic);
  put<uint32_t>(out, static_cast<uint32_t>(payload.size()));
  put<uint64_t>(out, lsn);
  put<uint8_t>(out, static_cast<uint8_t>(type));
  out.append(3, '\0');
  put<uint32_t>(out, 0);  // checksum, filled in below
  out.append(payload);
  const uint32_t crc = frame_crc(out.data() + start, payload);
  std::memcpy(out.data() + start + 20, &crc, 4);
}

ScanResult scan_frames(std::string_view bytes) {
  ScanResult result;
  size_t pos = 0;
  while (pos < bytes.size()) {
    Frame frame{};
    if (parse_at(bytes, pos, frame)) {
      result.frames.push_back(frame);
      pos += kFrameHeaderBytes + frame.payload.size();
      continue;
    }
    const size_t next = resync(bytes, pos);
    ++result.damaged_regions;
    result.damaged_bytes += next - pos;
    pos = next;
  }
  return result;
}

}  // namespace nebula::wal
