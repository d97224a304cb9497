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

}  // namespace

// source length u16 | source | target length u16 | target | NDJSON records
std::string encode_wal_payload(std::string_view source, std::string_view target,
                               const std::vector<std::string>& lines) {
  size_t size = 4 + source.size() + target.size();
  for (const auto& line : lines) size += line.size() + 1;
  std::string out;
  out.reserve(size);
  put_text(out, source);
  put_text(out, target);
  for (const auto& line : lines) {
    out += line;
    out += '\n';
  }
  return out;
}

std::string encode_wal_payload(std::string_view source, std::string_view target,
                               const std::vector<const Record*>& records) {
  std::vector<std::string> lines;
  lines.reserve(records.size());
  for (const Record* r : records) lines.push_back(encode_record_json(*r));
  return encode_wal_payload(source, target, lines);
}

WalPayload decode_wal_payload(std::string_view bytes) {
  WalPayload out;
  out.source = take_text(bytes);
  out.target = take_text(bytes);
  DecodeResult decoded = decode_ndjson(bytes);
  if (decoded.rejected) throw std::invalid_argument("write-ahead-log payload holds records that do not decode");
  out.records = std::move(decoded.records);
  return out;
}

}  // namespace nebula::host
