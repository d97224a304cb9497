// What the pool writes into a write-ahead-log frame for one accepted payload:
// the transport component it came from, the processor it is meant for (a dead-letter
// replay targets one processor; -1 = everyone), and the records as NDJSON
// lines that decode_ndjson reads back to equal records: the sender's own line
// where that holds by itself (DecodeResult::sources), else the record's
// canonical encoding (record_encoder.hpp). The frame's layout is the same
// either way, so logs written before (canonical lines only) still replay.
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
// The same from the records' lines (wal_lines), one per record.
std::string encode_wal_payload(std::string_view source, std::string_view target,
                               const std::vector<std::string_view>& lines, std::string_view origin = {});

// The line the log stores for each record: sources[i] when it is not empty
// (bytes that decode to records[i] by themselves, DecodeResult::sources),
// else records[i] encoded, owned by `encoded`. Views stay valid while the
// sources' text and `encoded` live (moving WalLines keeps them valid).
struct WalLines {
  std::vector<std::string_view> lines;
  std::vector<std::string> encoded;
};
WalLines wal_lines(const std::vector<Record>& records, const std::vector<std::string_view>& sources);
// Throws std::invalid_argument when the bytes are not a payload we wrote.
WalPayload decode_wal_payload(std::string_view bytes);

}  // namespace nebula::host
