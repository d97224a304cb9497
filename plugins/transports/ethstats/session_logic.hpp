// What one ethstats connection does with each frame it receives, without
// any I/O: the hello authenticates (the secret is the node's token), later
// messages become records for the host, node-pings are answered, and
// anything else closes the connection with a code and a reason. The I/O
// side (ethstats_session.hpp) carries out the Step; every refusal is counted
// and logged here.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ethstats_context.hpp"
#include "ethstats_message.hpp"
#include "node_records.hpp"

namespace nebula::transport::ethstats {

// WebSocket close codes (RFC 6455 §7.4.1) the server uses.
enum CloseCode : uint16_t {
  kGoingAway = 1001,        // the pool is stopping
  kUnsupportedData = 1003,  // a binary frame
  kInvalidPayload = 1007,   // not an ethstats message (bad JSON, wrong shape, bad field)
  kPolicy = 1008,           // unauthorized, unknown emit, another node's id, replaced
  kTooBig = 1009,           // larger than max_frame_bytes (sent by Beast itself)
  kTryAgain = 1013,         // not used for data: see connections_refused (HTTP 503)
};

struct Close {
  uint16_t code = kPolicy;
  std::string reason;  // at most 123 bytes on the wire
};

struct Step {
  std::string payload;        // records for the host, NDJSON ("" = none); submitted first
  size_t records = 0;
  std::vector<std::string> replies;  // frames to send once the payload was accepted
  bool claim_node = false;           // the hello was accepted: this connection now speaks for node_id()
  std::optional<Close> close;        // close after the replies
};

class SessionLogic {
 public:
  SessionLogic(std::shared_ptr<EthstatsContext> ctx, std::string peer);

  // `now`: seconds since the epoch (the pool's clock).
  Step on_frame(std::string_view text, bool binary, double now);

  bool authenticated() const { return authenticated_; }
  const std::string& node_id() const { return who_.node_id; }
  const std::string& peer() const { return peer_; }
  // meta_json for the host's submit_payload.
  std::string meta() const;

 private:
  Step refuse(const char* counter, uint16_t code, std::string reason);
  Step hello(const Message& m);

  std::shared_ptr<EthstatsContext> ctx_;
  std::string peer_;
  NodeIdentity who_;
  bool authenticated_ = false;
};

}  // namespace nebula::transport::ethstats
