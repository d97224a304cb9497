#include "metrics/prometheus_text.hpp"

#include <array>
#include <charconv>
#include <cmath>

namespace nebula::host::prometheus {
namespace {

bool is_ascii_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_ascii_digit(char c) { return c >= '0' && c <= '9'; }

// Beyond 2^63 a fixed-notation integer would be mostly invented digits.
constexpr double kLargestPlainInteger = 9223372036854775808.0;

}  // namespace

std::string escape_label_value(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '"': out += "\\\""; break;
      case '\n': out += "\\n"; break;
      default: out += c;
    }
  }
  return out;
}

std::string escape_help(std::string_view help) {
  std::string out;
  out.reserve(help.size());
  for (char c : help) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      default: out += c;
    }
  }
  return out;
}

std::string format_value(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  if (value == 0) return "0";  // also folds -0 into 0

  std::array<char, 64> buf{};
  const bool plain_integer =
      std::trunc(value) == value && std::fabs(value) < kLargestPlainInteger;
  const auto result =
      plain_integer ? std::to_chars(buf.data(), buf.data() + buf.size(), value, std::chars_format::fixed)
                    : std::to_chars(buf.data(), buf.data() + buf.size(), value);
  return std::string(buf.data(), result.ptr);
}

std::string sanitize_label_name(std::string_view name) {
  if (name.empty()) return "_";
  std::string out;
  out.reserve(name.size() + 1);
  if (is_ascii_digit(name.front())) out += '_';
  for (char c : name) out += (is_ascii_letter(c) || is_ascii_digit(c) || c == '_') ? c : '_';
  return out;
}

}  // namespace nebula::host::prometheus
