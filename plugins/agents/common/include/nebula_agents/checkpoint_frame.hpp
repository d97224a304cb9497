// The agents' checkpoint container: named byte sections behind a header
// that makes damage detectable before anything is parsed.
//
//   "NEBAGNT\0" | u32 format (1) | u64 payload length | u32 CRC-32(payload) | payload
//   payload = u32 section count, then per section: u32 name length, name,
//             u64 byte length, bytes
//
// Integers are little-endian. Truncation, trailing garbage, a flipped byte or
// another file type all end in nebula::Error(NEBULA_INVALID, why).
#pragma once

#include <cstdint>
#include <iosfwd>
#include <map>
#include <string>

namespace nebula::agents {

inline constexpr std::uint32_t kCheckpointFormat = 1;

class CheckpointWriter {
 public:
  void add(const std::string& name, std::string bytes) { sections_[name] = std::move(bytes); }
  // Writes header + payload; throws nebula::Error(NEBULA_IO) if the stream fails.
  void write(std::ostream& out) const;

 private:
  std::map<std::string, std::string> sections_;
};

class CheckpointReader {
 public:
  // Reads and verifies the whole container (throws NEBULA_INVALID on damage).
  explicit CheckpointReader(std::istream& in);
  bool has(const std::string& name) const { return sections_.count(name) != 0; }
  // Throws NEBULA_INVALID when the section is missing.
  const std::string& at(const std::string& name) const;
  const std::map<std::string, std::string>& sections() const { return sections_; }

 private:
  std::map<std::string, std::string> sections_;
};

}  // namespace nebula::agents
