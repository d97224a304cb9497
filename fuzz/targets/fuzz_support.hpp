// What the fuzz targets share: a property check that aborts (so libFuzzer
// keeps the input as a crash), a pinned decoder clock, and a stub host whose
// submit_payload answers like the real ingest gate (host/src/runtime/
// ingest_gate.cpp): decode, error_body, strict dump. With an owner set (a
// transport authenticated the sender) it also checks that every record the
// host decodes belongs to that node.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include <nebula/host.hpp>
#include <nebula/testing/mock_host.hpp>

#include "ingest/decode_result.hpp"
#include "ingest/record_decoder.hpp"

namespace nebula::fuzz {

// Like assert, but never compiled out; `detail` (built only on failure) is printed.
#define FUZZ_CHECK(cond, detail)                                                             \
  do {                                                                                        \
    if (!(cond)) ::nebula::fuzz::check_failed(#cond, __FILE__, __LINE__, (detail));           \
  } while (0)

[[noreturn]] inline void check_failed(const char* what, const char* file, int line, std::string_view detail) {
  std::fprintf(stderr, "\nFUZZ_CHECK failed at %s:%d: %s\n%.*s\n", file, line, what, static_cast<int>(detail.size()),
               detail.data());
  std::abort();
}

// Timestamps are judged against a fixed "now", so a run is reproducible.
inline host::DecodeLimits fixed_limits() {
  host::DecodeLimits l;
  l.now = 1'700'000'000.0;
  return l;
}

// Pool states the stub host can be in, chosen by the input.
enum class PoolState : unsigned char { accepting, full, draining };

struct StubState {
  PoolState pool = PoolState::accepting;
  std::string owner;  // "" = nobody authenticated: any node_id goes
};

// The body stays valid until the next submission, which is all a transport
// needs (it copies the body into its answer before it submits again).
inline void fill_verdict(nebula_verdict* out, nebula_status st, uint32_t http, uint32_t accepted, uint32_t rejected,
                         uint32_t retry_ms, int64_t last_seq, std::string body) {
  static std::string kept;
  kept = std::move(body);
  *out = nebula_verdict{sizeof(nebula_verdict), st, accepted, rejected, retry_ms, http, last_seq,
                        kept.data(),            kept.size(), nullptr, nullptr};
}

// submit_payload of the stub host. meta_json must be JSON (the host may log
// or parse it); the verdict is built the way the ingest gate builds it.
inline nebula_status stub_submit(const StubState& state, const std::string& format, std::string_view payload,
                                 const std::string& meta, nebula_verdict* out) {
  auto parsed = nlohmann::json::parse(meta, nullptr, false);
  FUZZ_CHECK(parsed.is_object(), "meta_json is not a JSON object: " + meta);
  if (state.pool == PoolState::draining) {
    fill_verdict(out, NEBULA_RETRY, 503, 0, 0, 1000, -1, R"({"status":"retry","error":"draining"})");
    return NEBULA_RETRY;
  }
  host::DecodeResult decoded;
  if (format == NEBULA_FORMAT_NDJSON) decoded = host::decode_ndjson(payload, fixed_limits());
  else if (format == NEBULA_FORMAT_JSON) decoded = host::decode_json_payload(payload, fixed_limits());
  else check_failed("known payload format", __FILE__, __LINE__, format);
  for (const auto& r : decoded.records)
    FUZZ_CHECK(state.owner.empty() || r.node_id == state.owner,
               "node '" + state.owner + "' got a record of '" + r.node_id + "' past the owner check");

  nlohmann::json answer = host::error_body(decoded);
  const auto rejected = static_cast<uint32_t>(decoded.rejected);
  if (decoded.records.empty()) {
    fill_verdict(out, NEBULA_INVALID, 400, 0, rejected, 0, -1, answer.dump());
    return NEBULA_INVALID;
  }
  if (state.pool == PoolState::full) {
    fill_verdict(out, NEBULA_RETRY, 429, 0, 0, 1000, -1, R"({"status":"retry","error":"pool queue is full"})");
    return NEBULA_RETRY;
  }
  int64_t last_seq = -1;
  for (const auto& r : decoded.records)
    if (r.seq && *r.seq > last_seq) last_seq = *r.seq;
  const auto accepted = static_cast<uint32_t>(decoded.records.size());
  answer["status"] = rejected ? "partial" : "accepted";
  answer["accepted"] = accepted;
  answer["last_seq"] = last_seq;
  fill_verdict(out, NEBULA_OK, 200, accepted, rejected, 0, last_seq, answer.dump());
  return NEBULA_OK;
}

// The state the stub host answers with; set it per input.
inline StubState& stub_state() {
  static StubState state;
  return state;
}

// A Host whose submit_payload is stub_submit(stub_state(), …).
inline Host stub_host() {
  static auto* mock = [] {
    auto* m = new testing::MockHost();  // never destroyed: lives as long as the fuzzer
    m->on_submit([](const std::string& format, const std::string& payload, const std::string& meta,
                    nebula_verdict* out) { return stub_submit(stub_state(), format, payload, meta, out); });
    return m;
  }();
  return Host(mock->table());
}

}  // namespace nebula::fuzz
