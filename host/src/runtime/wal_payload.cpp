#include "runtime/wal_payload.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <stdexcept>

#include "ingest/record_decoder.hpp"
#include "ingest/record_encoder.hpp"

namespace nebula::host {

namespace {

void put_text(std::string& out, std::string_view text) {
  const auto len = static_cast<uint16_t>(std::min<size_t>(text.size(), UINT16_MAX));
  out.append(reinterpret_cast<const char*>(&len), 2);
  out.append(text.substr(0, len));
}

std::string take_text(std::string_view& in) {
  uint16_t len = 0;
  if (in.size() < 2) throw std::invalid_argument("write-ahead-log payload cut short");
  std::memcpy(&len, in.data(), 2);
  if (in.size() < 2u + len) throw std::invalid_argument("write-ahead-log payload cut short");
  std::string text(in.substr(2, len));
  in.remove_prefix(2u + len);
  return text;
}

// Version 2 starts with a length no id can have, so logs written before it
// (source | target | records) still replay.
constexpr uint16_t kVersionMarker = UINT16_MAX;
constexpr char kVersion2 = 2;

}  // namespace

// 0xFFFF | 2 | source length u16 | source | target length u16 | target |
// origin length u16 | origin | NDJSON records
std::string encode_wal_payload(std::string_view source, std::string_view target,
                               const std::vector<std::string_view>& lines, std::string_view origin) {
  size_t size = 9 + source.size() + target.size() + origin.size();
  for (const auto& line : lines) size += line.size() + 1;
  std::string out;
  out.reserve(size);
  out.append(reinterpret_cast<const char*>(&kVersionMarker), 2);
  out += kVersion2;
  put_text(out, source);
  put_text(out, target);
  put_text(out, origin);
  for (const auto& line : lines) {
    out += line;
    out += '\n';
  }
  return out;
}

std::string encode_wal_payload(std::string_view source, std::string_view target,
                               const std::vector<const Record*>& records, std::string_view origin) {
  std::vector<std::string> encoded;
  encoded.reserve(records.size());
  for (const Record* r : records) encoded.push_back(encode_record_json(*r));
  return encode_wal_payload(source, target, std::vector<std::string_view>(encoded.begin(), encoded.end()), origin);
}

WalLines wal_lines(const std::vector<Record>& records, const std::vector<std::string_view>& sources) {
  WalLines out;
  out.lines.reserve(records.size());
  size_t missing = records.size();
  for (size_t i = 0; i < records.size() && i < sources.size(); ++i) missing -= !sources[i].empty();
  out.encoded.reserve(missing);  // never reallocates below: the views into it stay valid
  for (size_t i = 0; i < records.size(); ++i) {
    if (i < sources.size() && !sources[i].empty()) {
      out.lines.push_back(sources[i]);
    } else {
      out.encoded.push_back(encode_record_json(records[i]));
      out.lines.push_back(out.encoded.back());
    }
  }
  return out;
}

WalPayload decode_wal_payload(std::string_view bytes) {
  WalPayload out;
  uint16_t marker = 0;
  if (bytes.size() >= 3) std::memcpy(&marker, bytes.data(), 2);
  const bool versioned = marker == kVersionMarker;
  if (versioned) {
    if (bytes[2] != kVersion2) throw std::invalid_argument("write-ahead-log payload of an unknown version");
    bytes.remove_prefix(3);
  }
  out.source = take_text(bytes);
  out.target = take_text(bytes);
  if (versioned) out.origin = take_text(bytes);
  DecodeResult decoded = decode_ndjson(bytes);
  if (decoded.rejected) throw std::invalid_argument("write-ahead-log payload holds records that do not decode");
  out.records = std::move(decoded.records);
  return out;
}

}  // namespace nebula::host
