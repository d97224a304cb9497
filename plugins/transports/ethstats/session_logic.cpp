#include "session_logic.hpp"

#include <cmath>

#include <nlohmann/json.hpp>

namespace nebula::transport::ethstats {
namespace {

constexpr size_t kMaxNodeId = 256;     // the host's limit on node_id (DecodeLimits::max_string)
constexpr size_t kMaxInfoText = 128;  // hello info strings kept in records

}  // namespace

SessionLogic::SessionLogic(std::shared_ptr<EthstatsContext> ctx, std::string peer)
    : ctx_(std::move(ctx)), peer_(std::move(peer)) {}

std::string SessionLogic::meta() const {
  nlohmann::json m{{"peer", peer_}, {"transport", "ethstats"}};
  if (!who_.node_id.empty()) m["node_id"] = who_.node_id;
  return m.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Step SessionLogic::refuse(const char* counter, uint16_t code, std::string reason) {
  if (counter) ctx_->host.count(counter);
  ctx_->host.warn("ethstats transport: closing " + peer_ + (who_.node_id.empty() ? "" : " (node '" + who_.node_id + "')") +
                  ": " + reason);
  Step step;
  step.close = Close{code, std::move(reason)};
  return step;
}

Step SessionLogic::hello(const Message& m) {
  if (authenticated_) return refuse("protocol_errors", kPolicy, "hello sent twice on one connection");
  if (m.hello.id.empty()) return refuse("unauthorized", kPolicy, "unauthorized: hello has no id");
  if (m.hello.id.size() > kMaxNodeId)  // the pool's limit on node ids: every record would be refused
    return refuse("unauthorized", kPolicy, "unauthorized: hello id longer than " + std::to_string(kMaxNodeId) + " bytes");
  if (ctx_->tokens) {
    const auto check = ctx_->tokens->check(m.hello.id, m.hello.secret);
    if (check != TokenStore::Check::ok)
      return refuse("unauthorized", kPolicy, std::string("unauthorized: ") + refusal_reason(check));
  }
  authenticated_ = true;
  who_.node_id = m.hello.id;
  // Descriptive only; cut so a record's extra stays far below the pool's 16 KiB.
  who_.net = m.hello.net.substr(0, kMaxInfoText);
  who_.protocol = m.hello.protocol.substr(0, kMaxInfoText);
  who_.client = m.hello.client.substr(0, kMaxInfoText);
  who_.chain_id = chain_of(ctx_->config, who_.node_id, who_.net);
  who_.node_type = m.hello.protocol.starts_with("les/") ? "light" : ctx_->config.node_type;
  ctx_->host.info("ethstats transport: node '" + who_.node_id + "' (" + who_.chain_id + ") connected from " + peer_);
  Step step;
  step.claim_node = true;
  step.replies.push_back(ready_frame());
  return step;
}

Step SessionLogic::on_frame(std::string_view text, bool binary, double now) {
  ctx_->host.count("messages_received");
  if (binary) return refuse("protocol_errors", kUnsupportedData, "binary frames are not ethstats messages");
  Decoded d = decode_message(text);
  if (!d.message) {
    const bool unknown = d.problem == Problem::unknown_emit;
    ctx_->host.count(unknown ? "unknown_messages" : "malformed_messages");
    return refuse("protocol_errors", unknown ? kPolicy : kInvalidPayload, d.reason);
  }
  const Message& m = *d.message;
  if (m.emit == Emit::hello) return hello(m);
  if (m.emit == Emit::primus_ping) return Step{{}, 0, {primus_pong_frame(m.primus)}, false, std::nullopt};
  if (!authenticated_)
    return refuse("unauthorized", kPolicy, std::string("send hello first (got '") + to_string(m.emit) + "')");
  // A connection speaks for the node of its hello only.
  if (!m.id.empty() && m.id != who_.node_id)
    return refuse("forbidden_records", kPolicy,
                  "message for node '" + m.id + "' on the connection of node '" + who_.node_id + "'");
  if (m.emit == Emit::node_ping) {
    ctx_->host.count("pings_answered");
    const auto server_ms = static_cast<int64_t>(std::floor(now * 1000.0));
    return Step{{}, 0, {pong_frame(m.client_time, server_ms)}, false, std::nullopt};
  }
  MappedRecords mapped = ctx_->mapper.map(who_, m, now);
  if (mapped.known_history_blocks) ctx_->host.count("history_blocks_known", static_cast<double>(mapped.known_history_blocks));
  if (mapped.records == 0) ctx_->host.count("messages_folded");  // kept in the node's state, carried by its next record
  Step step;
  step.payload = std::move(mapped.ndjson);
  step.records = mapped.records;
  return step;
}

}  // namespace nebula::transport::ethstats
