// Helpers shared by the ingest tests: a pinned clock, short decode calls and
// readable failure output for Records and RecordErrors.
#pragma once

#include <ostream>
#include <string>
#include <string_view>

#include "ingest/decode_result.hpp"
#include "ingest/record_decoder.hpp"
#include "ingest/record_encoder.hpp"

namespace nebula::host {

// gtest prints these through ADL.
inline void PrintTo(const RecordError& e, std::ostream* os) {
  *os << "{" << e.index << ", \"" << e.field << "\", \"" << e.reason << "\"}";
}
inline void PrintTo(const Record& r, std::ostream* os) {
  *os << encode_record_json(r) << " with extra_json " << r.extra_json;
}

namespace test {

inline constexpr double kNow = 1'700'000'000.0;  // every test runs "at" this instant

inline DecodeLimits limits() {
  DecodeLimits l;
  l.now = kNow;
  return l;
}

inline DecodeResult decode(std::string_view body, DecodeLimits l = limits()) {
  return decode_json_payload(body, l);
}

inline DecodeResult decode_lines(std::string_view body, DecodeLimits l = limits()) {
  return decode_ndjson(body, l);
}

// A batch for node "n1" holding `entries` (JSON text of the array members).
inline std::string batch(std::string_view entries) {
  return R"({"node_id":"n1","data_batch":[)" + std::string(entries) + "]}";
}

// A batch of one entry with a valid timestamp plus `fields` (",k":v... text).
inline std::string one_entry(std::string_view fields) {
  return batch(R"({"timestamp":1699999990)" + std::string(fields) + "}");
}

inline RecordError err(int index, std::string field, std::string reason) {
  return RecordError{index, std::move(field), std::move(reason)};
}

}  // namespace test
}  // namespace nebula::host
