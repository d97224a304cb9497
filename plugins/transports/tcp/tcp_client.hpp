// Client side of the TCP transport (used by the node library): sends one
// data_batch document as record lines plus a commit line over a persistent
// connection and waits for that batch's ack. One deliver() at a time per
// client (ABI rule), so no locking.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/io_context.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <nlohmann/json.hpp>

#include <nebula/plugin.hpp>

#include "tcp_config.hpp"
#include "tcp_wire.hpp"

namespace nebula::transport::tcp {

struct TcpEndpoint {
  std::string host;
  std::string port;
};
// "tcp://host:port" ("[::1]:port" for IPv6); throws nebula::Error(NEBULA_INVALID).
TcpEndpoint parse_tcp_endpoint(std::string_view url);

// An ack as the node's delivery outcome (exposed for unit tests).
Delivery delivery_from_ack(const Ack& ack);

class TcpClient {
 public:
  TcpClient(std::string endpoint, const nlohmann::json& config);
  ~TcpClient();
  TcpClient(const TcpClient&) = delete;
  TcpClient& operator=(const TcpClient&) = delete;

  Delivery deliver(std::string_view batch_json);

 private:
  struct Exchange {
    boost::system::error_code error;
    std::optional<Ack> ack;
    bool got_bytes = false;  // any answer bytes at all (a stale connection gives none)
  };
  boost::system::error_code connect();
  Exchange exchange(const std::string& payload, uint64_t batch_id);
  void disconnect();

  TcpEndpoint endpoint_;
  ClientConfig config_;
  boost::asio::io_context ioc_;
  std::optional<boost::beast::tcp_stream> stream_;  // engaged while connected
  std::string inbox_;                               // bytes after the last ack read
  uint64_t next_batch_ = 1;
};

}  // namespace nebula::transport::tcp
