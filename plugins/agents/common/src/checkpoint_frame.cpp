#include "nebula_agents/checkpoint_frame.hpp"

#include <cstring>
#include <istream>
#include <iterator>
#include <ostream>

#include <nebula/host.hpp>

#include "nebula_agents/crc32.hpp"

namespace nebula::agents {
namespace {

constexpr char kMagic[8] = {'N', 'E', 'B', 'A', 'G', 'N', 'T', '\0'};
constexpr std::uint64_t kMaxPayload = std::uint64_t{1} << 32;  // 4 GiB: anything larger is damage

template <class T>
void put(std::string& out, T v) {
  for (size_t i = 0; i < sizeof(T); ++i) out.push_back(static_cast<char>((static_cast<std::uint64_t>(v) >> (8 * i)) & 0xFF));
}

[[noreturn]] void damaged(const std::string& why) { throw Error(NEBULA_INVALID, "damaged agent checkpoint: " + why); }

class Cursor {
 public:
  Cursor(const std::string& s, size_t pos = 0) : s_(s), pos_(pos) {}
  template <class T>
  T get(const char* what) {
    if (s_.size() - pos_ < sizeof(T)) damaged(std::string("truncated while reading ") + what);
    std::uint64_t v = 0;
    for (size_t i = 0; i < sizeof(T); ++i) v |= std::uint64_t{static_cast<unsigned char>(s_[pos_ + i])} << (8 * i);
    pos_ += sizeof(T);
    return static_cast<T>(v);
  }
  std::string bytes(std::uint64_t n, const char* what) {
    if (s_.size() - pos_ < n) damaged(std::string("truncated while reading ") + what);
    std::string out = s_.substr(pos_, static_cast<size_t>(n));
    pos_ += static_cast<size_t>(n);
    return out;
  }
  bool done() const { return pos_ == s_.size(); }

 private:
  const std::string& s_;
  size_t pos_;
};

}  // namespace

void CheckpointWriter::write(std::ostream& out) const {
  std::string payload;
  put<std::uint32_t>(payload, static_cast<std::uint32_t>(sections_.size()));
  for (const auto& [name, bytes] : sections_) {
    put<std::uint32_t>(payload, static_cast<std::uint32_t>(name.size()));
    payload += name;
    put<std::uint64_t>(payload, bytes.size());
    payload += bytes;
  }
  std::string header(kMagic, sizeof kMagic);
  put<std::uint32_t>(header, kCheckpointFormat);
  put<std::uint64_t>(header, payload.size());
  put<std::uint32_t>(header, crc32(payload));
  out.write(header.data(), static_cast<std::streamsize>(header.size()));
  out.write(payload.data(), static_cast<std::streamsize>(payload.size()));
  if (!out) throw Error(NEBULA_IO, "checkpoint stream write failed");
}

CheckpointReader::CheckpointReader(std::istream& in) {
  const std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (all.empty()) damaged("empty file");
  if (all.size() < sizeof kMagic || std::memcmp(all.data(), kMagic, sizeof kMagic) != 0)
    damaged("not an agent checkpoint (bad magic)");
  Cursor head(all, sizeof kMagic);
  const auto format = head.get<std::uint32_t>("format version");
  if (format != kCheckpointFormat)
    damaged("format version " + std::to_string(format) + " (this build reads " + std::to_string(kCheckpointFormat) + ")");
  const auto length = head.get<std::uint64_t>("payload length");
  const auto crc = head.get<std::uint32_t>("checksum");
  const size_t header_size = sizeof kMagic + 4 + 8 + 4;
  if (length > kMaxPayload) damaged("impossible payload length " + std::to_string(length));
  if (all.size() - header_size < length)
    damaged("truncated: payload has " + std::to_string(all.size() - header_size) + " of " + std::to_string(length) + " bytes");
  if (all.size() - header_size > length) damaged("trailing bytes after the payload");
  const std::string payload = all.substr(header_size);
  if (crc32(payload) != crc) damaged("checksum mismatch (corrupted bytes)");
  Cursor body(payload);
  const auto count = body.get<std::uint32_t>("section count");
  for (std::uint32_t i = 0; i < count; ++i) {
    const auto name_len = body.get<std::uint32_t>("section name length");
    std::string name = body.bytes(name_len, "section name");
    const auto len = body.get<std::uint64_t>("section length");
    sections_[name] = body.bytes(len, "section bytes");
  }
  if (!body.done()) damaged("unexpected bytes after the last section");
}

const std::string& CheckpointReader::at(const std::string& name) const {
  auto it = sections_.find(name);
  if (it == sections_.end()) damaged("missing section '" + name + "'");
  return it->second;
}

}  // namespace nebula::agents
