// Small number formatting for human-readable reasons.
#pragma once

#include <charconv>
#include <cmath>
#include <string>
#include <system_error>

namespace nebula::decision {

// Up to `digits` decimals, trailing zeros dropped; "?" when unknown.
inline std::string num(double v, int digits = 1) {
  if (!std::isfinite(v)) return "?";
  // to_chars's fixed form is printf's "%.*f" without its cost (snprintf was
  // ~1 % of the pool's CPU samples: reasons are rebuilt every decision).
  char buf[400];  // DBL_MAX in fixed form, with the digits asked
  const auto written = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, digits);
  if (written.ec != std::errc()) return "?";
  std::string s(buf, written.ptr);
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  return s;
}

inline std::string percent(double fraction) { return num(fraction * 100, 0) + " %"; }

}  // namespace nebula::decision
