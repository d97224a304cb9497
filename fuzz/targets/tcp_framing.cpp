// The TCP transport's line protocol (plugins/transports/tcp/tcp_wire,
// batch_lines), both ends:
//  - server: the bytes of one connection are cut into lines as
//    TcpConnection::process() does (\n, optional \r, blank lines skipped);
//    auth lines authenticate (real TokenStore), commit lines end a batch,
//    which passes the owner check (foreign_node_in_lines) and goes to a stub
//    host as NDJSON. Every ack must be one line that parse_ack() reads back
//    to the same ack, and an authenticated node gets no record of another
//    node into the host;
//  - client: the input as a data_batch document through batch_to_lines():
//    one line per record, none of them a control line, none blank;
//  - client: every input line as an ack from a (hostile) server: parse_ack
//    may refuse it with an exception, nothing worse.
// Input: byte 0 picks the setup (bits 0-1 the stub host's pool state, bit 2
// tokens_file on); the rest is the stream.
#include <cstdint>
#include <string>
#include <string_view>

#include "batch_lines.hpp"
#include "fuzz_support.hpp"
#include "fuzz_tokens.hpp"
#include "record_owner.hpp"
#include "tcp_wire.hpp"

namespace {

using namespace nebula::transport::tcp;
using nebula::transport::TokenStore;

constexpr uint32_t kDefaultRetryMs = 1000;

std::string dump(const nlohmann::json& j) { return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); }

void check_ack_line(const Ack& ack) {
  const std::string line = to_line(ack);
  FUZZ_CHECK(line.find('\n') == std::string::npos, line);
  FUZZ_CHECK(!parse_control_line(line), "an ack reads as a control line: " + line);
  const Ack back = parse_ack(line);
  const bool same = back.batch == ack.batch && back.status == ack.status && back.accepted == ack.accepted &&
                    back.rejected == ack.rejected && back.last_seq == ack.last_seq &&
                    back.retry_after_ms == ack.retry_after_ms && back.errors == ack.errors;
  FUZZ_CHECK(same, "ack does not survive its line: " + line + "\nerrors: " + dump(ack.errors));
}

// TcpConnection::answer: the owner check, then the host.
Ack submit(const nlohmann::json& batch_id, const std::string& records, const std::string& owner) {
  if (!owner.empty())
    if (auto problem = nebula::transport::foreign_node_in_lines(records, owner))
      return error_ack(batch_id, problem->reason);
  nebula::fuzz::stub_state().owner = owner;
  nebula::Verdict verdict;
  nebula::fuzz::stub_host().submit(NEBULA_FORMAT_NDJSON, records, R"({"peer":"127.0.0.1:1","transport":"tcp"})",
                                   verdict);
  return ack_from_verdict(batch_id, verdict, kDefaultRetryMs);
}

// TcpConnection::process, one connection; returns at the first refusal.
void serve(std::string_view stream, TokenStore* tokens) {
  std::string batch;
  std::string owner;  // the authenticated node, with tokens
  size_t pos = 0;
  while (pos < stream.size()) {
    const size_t nl = stream.find('\n', pos);
    if (nl == std::string_view::npos) return;  // an unfinished line: never submitted
    std::string_view line = stream.substr(pos, nl - pos);
    pos = nl + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
    auto control = parse_control_line(line);
    if (!control) {
      if (tokens && owner.empty()) return check_ack_line(error_ack(nullptr, "authentication required"));
      batch.append(line).push_back('\n');
      continue;
    }
    if (!control->problem.empty()) return check_ack_line(error_ack(nullptr, control->problem));
    if (control->is_auth) {
      if (!batch.empty()) return check_ack_line(error_ack(nullptr, "auth line inside an open batch"));
      if (!tokens) continue;
      if (tokens->check(control->node_id, control->token) != TokenStore::Check::ok)
        return check_ack_line(error_ack(nullptr, "authentication failed"));
      owner = control->node_id;
      continue;
    }
    Ack ack;
    ack.batch = control->batch;
    if (!batch.empty()) ack = submit(control->batch, batch, owner);
    check_ack_line(ack);
    batch.clear();
  }
}

void client_lines(std::string_view document) {
  BatchLines lines;
  try {
    lines = batch_to_lines(document);
  } catch (const nebula::Error&) {
    return;
  }
  size_t count = 0;
  for (size_t pos = 0; pos < lines.text.size(); ++count) {
    const size_t nl = lines.text.find('\n', pos);
    FUZZ_CHECK(nl != std::string::npos, "last line has no newline: " + lines.text);
    const std::string_view line(lines.text.data() + pos, nl - pos);
    pos = nl + 1;
    FUZZ_CHECK(line.find_first_not_of(" \t\r") != std::string_view::npos, "blank record line");
    FUZZ_CHECK(!parse_control_line(line), "record line reads as a control line: " + std::string(line));
  }
  FUZZ_CHECK(count == lines.count, lines.text);
}

void hostile_acks(std::string_view stream) {
  for (size_t pos = 0; pos < stream.size();) {
    size_t nl = stream.find('\n', pos);
    if (nl == std::string_view::npos) nl = stream.size();
    try {
      (void)parse_ack(stream.substr(pos, nl - pos));
    } catch (const std::exception&) {
      // tcp_client.cpp catches std::exception around parse_ack: a refusal is fine.
    }
    pos = nl + 1;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  nebula::fuzz::stub_state().pool = static_cast<nebula::fuzz::PoolState>((data[0] & 3) % 3);
  const auto tokens = (data[0] & 4) ? nebula::fuzz::fuzz_tokens() : nullptr;
  const std::string_view stream(reinterpret_cast<const char*>(data) + 1, size - 1);
  serve(stream, tokens.get());
  client_lines(stream);
  hostile_acks(stream);
  return 0;
}
