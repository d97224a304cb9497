// The host's payload decoder (host/src/ingest/), fed any bytes as a JSON
// document and as NDJSON. Beyond "no crash, no sanitizer report" it checks:
//  - error_body() dumps as strict JSON (the ingest gate sends it to senders);
//  - the result's counts are consistent;
//  - every record re-encodes (encode_record_json) to one line that decodes,
//    as NDJSON and inside a batch, to an equal record, and re-encodes to the
//    same text: the canonical form the WAL and the node client rely on.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_support.hpp"
#include "ingest/record_encoder.hpp"

namespace {

using nebula::host::DecodeResult;
using nebula::host::Record;

std::string show(const Record& r) { return nebula::host::encode_record_json(r) + "  extra_json=" + r.extra_json; }

void check_single(const DecodeResult& again, const Record& original, const std::string& line, const char* shape) {
  std::string detail = std::string(shape) + "\nencoded:  " + line + "\noriginal: " + show(original);
  if (again.records.size() == 1) detail += "\ndecoded:  " + show(again.records[0]);
  else detail += "\nverdict:  " + nebula::host::error_body(again).dump(-1, ' ', false,
                                                                      nlohmann::json::error_handler_t::replace);
  FUZZ_CHECK(again.ok() && again.records.size() == 1 && again.records[0] == original, detail);
}

void check_round_trip(const Record& r) {
  const auto limits = nebula::fuzz::fixed_limits();
  const std::string line = nebula::host::encode_record_json(r);
  FUZZ_CHECK(line.find('\n') == std::string::npos, line);
  check_single(nebula::host::decode_ndjson(line, limits), r, line, "as NDJSON");
  check_single(nebula::host::decode_json_payload(R"({"data_batch":[)" + line + "]}", limits), r, line, "in a batch");
  FUZZ_CHECK(nebula::host::encode_record_json(nebula::host::decode_ndjson(line, limits).records.at(0)) == line, line);
}

void check(const DecodeResult& r) {
  (void)nebula::host::error_body(r).dump();  // throws (and so fails) on invalid UTF-8
  const size_t problems = r.errors.size() + r.errors_omitted;
  FUZZ_CHECK(!r.payload_error || (r.records.empty() && r.rejected >= 1 && problems >= 1), "payload error");
  FUZZ_CHECK(problems >= (r.payload_error ? 1 : r.rejected), "a rejected entry without an error");
  FUZZ_CHECK(r.ok() == (problems == 0), "ok() disagrees with the errors");
  for (const Record& record : r.records) check_round_trip(record);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto limits = nebula::fuzz::fixed_limits();
  check(nebula::host::decode_json_payload(text, limits));
  check(nebula::host::decode_ndjson(text, limits));
  return 0;
}
