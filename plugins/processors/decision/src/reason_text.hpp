// Small number formatting for human-readable reasons.
#pragma once

#include <cmath>
#include <cstdio>
#include <string>

namespace nebula::decision {

// Up to `digits` decimals, trailing zeros dropped; "?" when unknown.
inline std::string num(double v, int digits = 1) {
  if (!std::isfinite(v)) return "?";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  std::string s(buf);
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  return s;
}

inline std::string percent(double fraction) { return num(fraction * 100, 0) + " %"; }

}  // namespace nebula::decision
