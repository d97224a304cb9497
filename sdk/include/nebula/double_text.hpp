// A finite double as JSON number text, laid out the way nlohmann::json::dump()
// lays it out ("1.0" for integral values, "0.0001", "1e-05", "1.5e+16"), with
// the shortest digits that read back to the same double (std::to_chars, Ryu).
//
// Why not nlohmann's own: its Grisu2 took 65 ns a number against 41 here, and
// the learning processor writes 26 numbers per record (perf: ~5 % of the pool's
// CPU). Grisu2 is not always shortest, so in rare cases the digits differ from
// dump()'s; the value read back is the same double either way.
#pragma once

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>

namespace nebula {

// Needs room for kDoubleTextMax chars at `out`; returns the end. `v` must be
// finite (JSON has no NaN or infinity: callers write null for those).
inline constexpr size_t kDoubleTextMax = 32;

inline char* write_double_text(char* out, double v) {
  // Whole numbers below 1e15 (heights, counts, peers, flags: most of what the
  // processors write) are their integer digits then ".0", dump()'s layout for
  // them: the integer conversion skips the shortest-digits search.
  if (v > -1e15 && v < 1e15 && v == static_cast<double>(static_cast<int64_t>(v))) {
    if (v == 0 && std::signbit(v)) *out++ = '-';
    out = std::to_chars(out, out + kDoubleTextMax, static_cast<int64_t>(v)).ptr;
    *out++ = '.';
    *out++ = '0';
    return out;
  }
  // Scientific form first: "-d.ddde+XX" gives the digits and the exponent.
  char sci[kDoubleTextMax];
  const char* end = std::to_chars(sci, sci + sizeof sci, v, std::chars_format::scientific).ptr;
  const char* p = sci;
  if (*p == '-') *out++ = *p++;
  char digits[20];
  int k = 0;  // digit count
  for (; *p != 'e'; ++p)
    if (*p != '.') digits[k++] = *p;
  ++p;  // 'e'
  const bool negative_exp = *p++ == '-';
  int e = 0;
  for (; p != end; ++p) e = e * 10 + (*p - '0');
  const int n = (negative_exp ? -e : e) + 1;  // where the decimal point goes, counted from the first digit

  // nlohmann's format_buffer, min_exp -4 and max_exp 15 (digits10).
  constexpr int kMinExp = -4, kMaxExp = 15;
  if (k <= n && n <= kMaxExp) {  // ddd000.0
    std::memcpy(out, digits, k);
    std::memset(out + k, '0', n - k);
    out += n;
    *out++ = '.';
    *out++ = '0';
    return out;
  }
  if (0 < n && n <= kMaxExp) {  // dd.ddd
    std::memcpy(out, digits, n);
    out[n] = '.';
    std::memcpy(out + n + 1, digits + n, k - n);
    return out + k + 1;
  }
  if (kMinExp < n && n <= 0) {  // 0.000ddd
    *out++ = '0';
    *out++ = '.';
    std::memset(out, '0', -n);
    out += -n;
    std::memcpy(out, digits, k);
    return out + k;
  }
  // d.ddde+XX, at least two exponent digits (as printf's %g).
  *out++ = digits[0];
  if (k > 1) {
    *out++ = '.';
    std::memcpy(out, digits + 1, k - 1);
    out += k - 1;
  }
  *out++ = 'e';
  int x = n - 1;
  *out++ = x < 0 ? '-' : '+';
  if (x < 0) x = -x;
  if (x >= 100) *out++ = static_cast<char>('0' + x / 100);
  *out++ = static_cast<char>('0' + x / 10 % 10);
  *out++ = static_cast<char>('0' + x % 10);
  return out;
}

}  // namespace nebula
