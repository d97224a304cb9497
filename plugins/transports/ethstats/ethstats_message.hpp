// The ethstats wire protocol as geth's ethstats client speaks it
// (docs/transports.md, "Ethstats"): every frame is one JSON text,
// {"emit": ["<name>", {...}]}, or a primus heartbeat string
// "primus::ping::<ms>". Pure functions: one text frame in, one decoded
// message (or the reason it is not one) out; and the frames the server sends.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace nebula::transport::ethstats {

enum class Emit { hello, block, pending, stats, node_ping, latency, history, primus_ping };
const char* to_string(Emit e);

struct Hello {
  std::string id;      // the node's name, as in geth's --ethstats name:secret@host
  std::string secret;  // checked against the node's token
  std::string net;     // info.net: the network id ("1", "11155111"), "" if absent
  std::string protocol;  // info.protocol: "eth/68", "les/4"
  std::string client;    // info.node: the client's version string
};

struct Block {
  int64_t number = 0;
  std::string hash;
  std::string parent_hash;
  int64_t timestamp = 0;  // seconds since the epoch, from the block header
  std::optional<int64_t> transactions;  // how many (the array's length); absent for light clients
  std::optional<double> gas_used;
  std::optional<double> gas_limit;
};

// "stats": every field is optional (newer geth dropped mining and hashrate).
struct NodeStats {
  std::optional<bool> active, syncing, mining;
  std::optional<double> hashrate, gas_price;
  std::optional<int64_t> peers;
};

struct Message {
  Emit emit = Emit::hello;
  std::string id;  // the "id" the message names ("" when it names none)
  Hello hello;
  Block block;
  std::vector<Block> history;
  int64_t pending = 0;
  NodeStats stats;
  double latency_ms = 0;
  nlohmann::json client_time;  // node-ping: echoed back verbatim
  std::string primus;          // primus_ping: the text after "primus::ping::"
};

enum class Problem { none, malformed, unknown_emit };

struct Decoded {
  std::optional<Message> message;
  Problem problem = Problem::none;
  std::string reason;  // why the frame is not a message (for the close frame and the log)
};

Decoded decode_message(std::string_view text);

// Frames the server sends.
std::string ready_frame();                                                   // after a good hello
std::string pong_frame(const nlohmann::json& client_time, int64_t server_ms);  // answer to node-ping
std::string primus_pong_frame(const std::string& stamp);                      // answer to primus::ping

}  // namespace nebula::transport::ethstats
