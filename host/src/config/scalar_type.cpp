#include "config/scalar_type.hpp"

#include <charconv>
#include <cstdint>
#include <optional>
#include <regex>
#include <string>

namespace nebula::host {
namespace {

// nullopt when `text` is not written as an integer.
std::optional<nlohmann::json> as_integer(std::string_view text) {
  static const std::regex decimal("[-+]?[0-9]+");
  static const std::regex hex("0x[0-9a-fA-F]+");
  static const std::regex octal("0o[0-7]+");
  const std::string s(text);
  int base = 10;
  std::string_view digits = text;
  if (std::regex_match(s, hex)) {
    base = 16;
    digits.remove_prefix(2);
  } else if (std::regex_match(s, octal)) {
    base = 8;
    digits.remove_prefix(2);
  } else if (!std::regex_match(s, decimal)) {
    return std::nullopt;
  }
  if (digits.starts_with('+')) digits.remove_prefix(1);
  int64_t value = 0;
  auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value, base);
  if (error == std::errc() && end == digits.data() + digits.size()) return nlohmann::json(value);
  uint64_t big = 0;
  auto [big_end, big_error] = std::from_chars(digits.data(), digits.data() + digits.size(), big, base);
  if (big_error == std::errc() && big_end == digits.data() + digits.size()) return nlohmann::json(big);
  return nlohmann::json(std::string(text));  // too large for JSON integers: keep the text
}

std::optional<nlohmann::json> as_float(std::string_view text) {
  // .inf/.nan are left as strings: JSON cannot carry them to a plugin.
  static const std::regex number(R"([-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?)");
  if (!std::regex_match(std::string(text), number)) return std::nullopt;
  // from_chars: locale-independent, unlike strtod; it takes no leading '+'.
  const bool negative = text.starts_with('-');
  if (text.starts_with('+') || negative) text.remove_prefix(1);
  double value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return nlohmann::json(negative ? -value : value);
}

}  // namespace

nlohmann::json typed_plain_scalar(std::string_view text) {
  if (text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL") return nullptr;
  if (text == "true" || text == "True" || text == "TRUE") return true;
  if (text == "false" || text == "False" || text == "FALSE") return false;
  if (auto integer = as_integer(text)) return *integer;
  if (auto real = as_float(text)) return *real;
  return std::string(text);
}

}  // namespace nebula::host
