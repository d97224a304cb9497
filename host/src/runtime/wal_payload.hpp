// What the pool writes into a write-ahead-log frame for one accepted payload:
// the transport component it came from, the processor it is meant for (a dead-letter
// replay targets one processor; -1 = everyone), and the records as canonical
// NDJSON (record_encoder.hpp), which decode_ndjson reads back to equal records.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/record.hpp"

namespace nebula::host {

struct WalPayload {
  std::string source;  // transport component id
  std::string target;  // processor component id; "" = every processor
  std::string origin;  // the transport's name for the payload's origin (e.g. a stream entry); "" = none
  std::vector<Record> records;
};

std::string encode_wal_payload(std::string_view source, std::string_view target, const std::vector<const Record*>& records,
                               std::string_view origin = {});
// The same from records already encoded with encode_record_json (one per line).
std::string encode_wal_payload(std::string_view source, std::string_view target, const std::vector<std::string>& lines,
                               std::string_view origin = {});
// Throws std::invalid_argument when the bytes are not a payload we wrote.
WalPayload decode_wal_payload(std::string_view bytes);

}  // namespace nebula::host
