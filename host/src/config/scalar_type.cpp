#include "config/scalar_type.hpp"

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>

namespace nebula::host {
namespace {

// Hand-written rather than std::regex: libstdc++'s regex matcher recurses
// once per character and overflowed the stack on a 30 000-digit scalar
// (found by fuzz/targets/pipeline_yaml.cpp).
bool all_digits(std::string_view s, int base) {
  if (s.empty()) return false;
  for (char c : s) {
    const int d = c >= '0' && c <= '9'   ? c - '0'
                  : c >= 'a' && c <= 'f' ? c - 'a' + 10
                  : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                         : base;
    if (d >= base) return false;
  }
  return true;
}

// [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
bool is_float_text(std::string_view s) {
  size_t i = 0;
  auto sign = [&] {
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  };
  auto digits = [&] {
    const size_t start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    return i - start;
  };
  sign();
  const size_t whole = digits();
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (digits() == 0 && whole == 0) return false;
  } else if (whole == 0) {
    return false;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    sign();
    if (digits() == 0) return false;
  }
  return i == s.size();
}

// nullopt when `text` is not written as an integer.
std::optional<nlohmann::json> as_integer(std::string_view text) {
  int base = 10;
  std::string_view digits = text;
  if (text.starts_with("0x") && all_digits(text.substr(2), 16)) {
    base = 16;
    digits.remove_prefix(2);
  } else if (text.starts_with("0o") && all_digits(text.substr(2), 8)) {
    base = 8;
    digits.remove_prefix(2);
  } else if (!all_digits(text.substr(text.starts_with('-') || text.starts_with('+') ? 1 : 0), 10)) {
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
  if (!is_float_text(text)) return std::nullopt;
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
