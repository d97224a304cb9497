// Writes JSON text straight into a string, for insights a processor emits per
// record or per batch: building a nlohmann::json document costs a map node
// and an allocation per key, and profiles of the default pipeline showed that
// (plus dump()) as the largest single cost of the learning processor.
//
// The text is what nlohmann::json::dump() gives for the same document when
// the caller writes keys in sorted order (dump's order): the same escapes and
// the same number layout ("1.0" for integral doubles). Doubles get the
// shortest digits that read back exactly (double_text.hpp); for about 1
// double in 500 dump()'s Grisu2 gives other digits (as long or longer) that
// read back to the same double. Non-finite
// numbers are written as null and -0 as 0 (as number_or_null).
//
// Text goes into a buffer whose size runs ahead of the text, written through
// a pointer, not appended char by char to a std::string (a capacity check and
// a terminator per char, out of line): the learning plugin's instructions
// fell 8 % (callgrind, bench_processor_replay learning 2000 100, #15).
//
// Not a validator: the caller pairs begin/end and writes a key before each
// object member; strings must be valid UTF-8 (the host validates every
// insight it is given, and refuses malformed text).
#pragma once

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "nebula/double_text.hpp"

namespace nebula {

class JsonWriter {
 public:
  JsonWriter& begin_object() { return open('{'); }
  JsonWriter& end_object() { return close('}'); }
  JsonWriter& begin_array() { return open('['); }
  JsonWriter& end_array() { return close(']'); }

  // A member name; the next call writes its value.
  JsonWriter& key(std::string_view name) {
    separate();
    put_string(name);
    put(':');
    after_key_ = true;
    return *this;
  }

  JsonWriter& value(std::string_view s) {
    separate();
    put_string(s);
    return *this;
  }
  JsonWriter& value(const char* s) { return value(std::string_view(s)); }
  JsonWriter& value(const std::string& s) { return value(std::string_view(s)); }
  JsonWriter& value(bool b) {
    separate();
    put(b ? std::string_view("true") : std::string_view("false"));
    return *this;
  }
  JsonWriter& value(double v) {
    separate();
    if (!std::isfinite(v)) {
      put("null");
      return *this;
    }
    if (v == 0) v = 0.0;  // -0 -> 0
    len_ = static_cast<size_t>(write_double_text(room(kDoubleTextMax), v) - buf_.data());
    return *this;
  }
  JsonWriter& value(int64_t v) {
    separate();
    char* at = room(24);
    len_ = static_cast<size_t>(std::to_chars(at, at + 24, v).ptr - buf_.data());
    return *this;
  }
  JsonWriter& value(uint64_t v) {
    separate();
    char* at = room(24);
    len_ = static_cast<size_t>(std::to_chars(at, at + 24, v).ptr - buf_.data());
    return *this;
  }
  JsonWriter& null() {
    separate();
    put("null");
    return *this;
  }
  // A value that is already JSON text (e.g. a cached fragment).
  JsonWriter& raw(std::string_view json) {
    separate();
    put(json);
    return *this;
  }

  std::string_view text() const { return std::string_view(buf_.data(), len_); }
  std::string take() {
    buf_.resize(len_);
    len_ = 0;
    return std::move(buf_);
  }
  void reserve(size_t n) {
    if (n > buf_.size()) buf_.resize(n);
  }

 private:
  // Room for `n` more chars at the end of the text; the pointer to them.
  char* room(size_t n) {
    if (buf_.size() - len_ < n) buf_.resize(std::max({len_ + n, 2 * buf_.size(), size_t{256}}));
    return buf_.data() + len_;
  }
  void put(char c) {
    *room(1) = c;
    ++len_;
  }
  void put(std::string_view s) {
    if (s.empty()) return;  // memcpy from an empty view's null data is undefined
    std::memcpy(room(s.size()), s.data(), s.size());
    len_ += s.size();
  }

  JsonWriter& open(char c) {
    separate();
    put(c);
    first_ = true;
    return *this;
  }
  JsonWriter& close(char c) {
    put(c);
    first_ = false;
    return *this;
  }
  // A comma before every element but the first, never between a key and its value.
  void separate() {
    if (after_key_) {
      after_key_ = false;
    } else if (!first_) {
      put(',');
    }
    first_ = false;
  }
  void put_string(std::string_view s) {
    put('"');
    size_t plain_from = 0;  // runs that need no escape are appended whole
    for (size_t i = 0; i < s.size(); ++i) {
      const auto c = static_cast<unsigned char>(s[i]);
      if (c >= 0x20 && c != '"' && c != '\\') continue;
      put(s.substr(plain_from, i - plain_from));
      plain_from = i + 1;
      switch (c) {
        case '"': put("\\\""); break;
        case '\\': put("\\\\"); break;
        case '\b': put("\\b"); break;
        case '\f': put("\\f"); break;
        case '\n': put("\\n"); break;
        case '\r': put("\\r"); break;
        case '\t': put("\\t"); break;
        default: {
          static constexpr char kHex[] = "0123456789abcdef";
          const char u[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xf]};
          put(std::string_view(u, sizeof u));
        }
      }
    }
    put(s.substr(plain_from));
    put('"');
  }

  std::string buf_;  // the text, then room ahead of it (its size is not the text's)
  size_t len_ = 0;   // the text's length
  bool first_ = true;      // nothing written yet in the current object/array (or document)
  bool after_key_ = false;  // a key was just written: its value needs no comma
};

}  // namespace nebula
