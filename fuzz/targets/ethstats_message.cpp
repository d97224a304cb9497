// The ethstats transport's message decoder and record mapper
// (plugins/transports/ethstats/ethstats_message, node_records): the input is
// one connection's text frames, one per line. Each frame is decoded as
// SessionLogic::on_frame does; a decoded measurement goes through the
// RecordMapper of one node. Properties:
//  - decode_message never throws and says why when it refuses a frame;
//  - every record line the mapper makes is a JSON object of the connection's
//    node, with a seq higher than any before it;
//  - the host's own decoder (host/src/ingest) reads every such line: it
//    accepts it or refuses it naming a field (a value out of its physical
//    range), never as a malformed record;
//  - the server's frames (pong, primus pong) are JSON whatever they echo.
// Input: the frames, separated by '\n'.
#include <cstdint>
#include <string>
#include <string_view>

#include "ethstats_message.hpp"
#include "fuzz_support.hpp"
#include "node_records.hpp"

namespace {

using namespace nebula::transport::ethstats;
using json = nlohmann::json;

constexpr double kNow = 1'700'000'000.0;  // the decoder's pinned clock (fixed_limits)

void check_records(const std::string& ndjson, size_t count, const std::string& node, int64_t& last_seq) {
  size_t lines = 0;
  for (size_t pos = 0; pos < ndjson.size(); ++lines) {
    const size_t nl = ndjson.find('\n', pos);
    FUZZ_CHECK(nl != std::string::npos, "last record line has no newline: " + ndjson);
    auto record = json::parse(ndjson.substr(pos, nl - pos), nullptr, false);
    pos = nl + 1;
    FUZZ_CHECK(record.is_object() && record["node_id"] == node, ndjson);
    FUZZ_CHECK(record["seq"].is_number_integer() && record["seq"].get<int64_t>() > last_seq, ndjson);
    last_seq = record["seq"].get<int64_t>();
  }
  FUZZ_CHECK(lines == count, ndjson);
  if (ndjson.empty()) return;
  auto decoded = nebula::host::decode_ndjson(ndjson, nebula::fuzz::fixed_limits());
  FUZZ_CHECK(!decoded.payload_error, ndjson);
  FUZZ_CHECK(decoded.records.size() + decoded.rejected == count, ndjson);
  for (const auto& e : decoded.errors)
    FUZZ_CHECK(!e.field.empty(), "the host finds a record malformed: " + e.reason + "\n" + ndjson);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  RecordMapper mapper(4);
  const NodeIdentity who{"fuzz-node", "fuzz-chain", "full", "Geth/v1", "1337", "eth/68"};
  int64_t last_seq = 0;
  double now = kNow;
  for (size_t pos = 0; pos <= input.size();) {
    size_t nl = input.find('\n', pos);
    if (nl == std::string_view::npos) nl = input.size();
    const std::string_view frame = input.substr(pos, nl - pos);
    pos = nl + 1;
    const Decoded d = decode_message(frame);
    if (!d.message) {
      FUZZ_CHECK(!d.reason.empty(), "refused without a reason: " + std::string(frame));
      continue;
    }
    const Message& m = *d.message;
    if (m.emit == Emit::node_ping) FUZZ_CHECK(!json::parse(pong_frame(m.client_time, 1), nullptr, false).is_discarded(), "pong");
    if (m.emit == Emit::primus_ping)
      FUZZ_CHECK(!json::parse(primus_pong_frame(m.primus), nullptr, false).is_discarded(), "primus pong");
    now += 0.5;
    const MappedRecords out = mapper.map(who, m, now);
    check_records(out.ndjson, out.records, who.node_id, last_seq);
  }
  return 0;
}
