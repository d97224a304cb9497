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
// Not a validator: the caller pairs begin/end and writes a key before each
// object member; strings must be valid UTF-8 (the host validates every
// insight it is given, and refuses malformed text).
#pragma once

#include <charconv>
#include <cmath>
#include <cstdint>
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
    out_ += ':';
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
    out_ += b ? "true" : "false";
    return *this;
  }
  JsonWriter& value(double v) {
    separate();
    if (!std::isfinite(v)) {
      out_ += "null";
      return *this;
    }
    if (v == 0) v = 0.0;  // -0 -> 0
    char buf[kDoubleTextMax];
    out_.append(buf, write_double_text(buf, v));
    return *this;
  }
  JsonWriter& value(int64_t v) {
    separate();
    char buf[24];
    out_.append(buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
    return *this;
  }
  JsonWriter& value(uint64_t v) {
    separate();
    char buf[24];
    out_.append(buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
    return *this;
  }
  JsonWriter& null() {
    separate();
    out_ += "null";
    return *this;
  }
  // A value that is already JSON text (e.g. a cached fragment).
  JsonWriter& raw(std::string_view json) {
    separate();
    out_ += json;
    return *this;
  }

  const std::string& text() const { return out_; }
  std::string take() { return std::move(out_); }
  void reserve(size_t n) { out_.reserve(n); }

 private:
  JsonWriter& open(char c) {
    separate();
    out_ += c;
    first_ = true;
    return *this;
  }
  JsonWriter& close(char c) {
    out_ += c;
    first_ = false;
    return *this;
  }
  // A comma before every element but the first, never between a key and its value.
  void separate() {
    if (after_key_) {
      after_key_ = false;
    } else if (!first_) {
      out_ += ',';
    }
    first_ = false;
  }
  void put_string(std::string_view s) {
    out_ += '"';
    size_t plain_from = 0;  // runs that need no escape are appended whole
    for (size_t i = 0; i < s.size(); ++i) {
      const auto c = static_cast<unsigned char>(s[i]);
      if (c >= 0x20 && c != '"' && c != '\\') continue;
      out_.append(s.data() + plain_from, i - plain_from);
      plain_from = i + 1;
      switch (c) {
        case '"': out_ += "\\\""; break;
        case '\\': out_ += "\\\\"; break;
        case '\b': out_ += "\\b"; break;
        case '\f': out_ += "\\f"; break;
        case '\n': out_ += "\\n"; break;
        case '\r': out_ += "\\r"; break;
        case '\t': out_ += "\\t"; break;
        default: {
          static constexpr char kHex[] = "0123456789abcdef";
          const char u[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xf]};
          out_.append(u, sizeof u);
        }
      }
    }
    out_.append(s.data() + plain_from, s.size() - plain_from);
    out_ += '"';
  }

  std::string out_;
  bool first_ = true;      // nothing written yet in the current object/array (or document)
  bool after_key_ = false;  // a key was just written: its value needs no comma
};

}  // namespace nebula
