#include "history_cursor.hpp"

#include <array>
#include <charconv>

namespace nebula::sinks {
namespace {

// base64url without padding: safe in a URL query string as it is.
constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
// Marks the text as ours, so a truncated or made-up cursor is refused rather
// than read as some other position.
constexpr std::string_view kPrefix = "nebula-history:";

std::string base64url(std::string_view bytes) {
  std::string out;
  uint32_t bits = 0;
  int count = 0;
  for (unsigned char b : bytes) {
    bits = (bits << 8) | b;
    count += 8;
    while (count >= 6) {
      count -= 6;
      out += kAlphabet[(bits >> count) & 0x3F];
    }
  }
  if (count > 0) out += kAlphabet[(bits << (6 - count)) & 0x3F];
  return out;
}

std::optional<std::string> unbase64url(std::string_view text) {
  std::array<int, 256> value{};
  value.fill(-1);
  for (size_t i = 0; i < kAlphabet.size(); ++i) value[static_cast<unsigned char>(kAlphabet[i])] = static_cast<int>(i);
  std::string out;
  uint32_t bits = 0;
  int count = 0;
  for (unsigned char c : text) {
    if (value[c] < 0) return std::nullopt;
    bits = (bits << 6) | static_cast<uint32_t>(value[c]);
    count += 6;
    if (count >= 8) {
      count -= 8;
      out += static_cast<char>((bits >> count) & 0xFF);
    }
  }
  return out;
}

}  // namespace

std::string encode_cursor(int64_t last_id) { return base64url(std::string(kPrefix) + std::to_string(last_id)); }

std::optional<int64_t> decode_cursor(std::string_view cursor) {
  if (cursor.size() > 64) return std::nullopt;
  const auto text = unbase64url(cursor);
  if (!text || !text->starts_with(kPrefix)) return std::nullopt;
  const std::string_view digits = std::string_view(*text).substr(kPrefix.size());
  int64_t id = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), id);
  if (ec != std::errc() || end != digits.data() + digits.size() || id <= 0) return std::nullopt;
  // Only the canonical spelling (no leading zeros, no stray bits) is ours.
  if (encode_cursor(id) != cursor) return std::nullopt;
  return id;
}

}  // namespace nebula::sinks
