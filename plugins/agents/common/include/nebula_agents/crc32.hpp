// CRC-32 (IEEE 802.3, the zlib polynomial) over a byte range: detects
// truncated or bit-flipped checkpoints before any parser sees them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace nebula::agents {

std::uint32_t crc32(const void* data, std::size_t len, std::uint32_t crc = 0);
inline std::uint32_t crc32(std::string_view s) { return crc32(s.data(), s.size()); }

}  // namespace nebula::agents
