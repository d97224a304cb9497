// Client side of the TCP transport (used by the node library): sends one
// data_batch document as record lines plus a commit line over a persistent
// connection (TLS for tcp+tls://, the server certificate always verified),
// preceded by an auth line when a token is configured and the connection has
// not yet named this batch's node, and waits for that batch's ack. One
// deliver() at a time per client (ABI rule), so no locking.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/io_context.hpp>
#include <nlohmann/json.hpp>

#include <nebula/plugin.hpp>

#include "batch_lines.hpp"
#include "http/security/tls_context.hpp"
#include "http/security/tls_stream.hpp"
#include "tcp_config.hpp"
#include "tcp_wire.hpp"

namespace nebula::transport::tcp {

struct TcpEndpoint {
  std::string host;
  std::string port;
  bool tls = false;  // tcp+tls://
};
// "tcp://host:port" or "tcp+tls://host:port" ("[::1]:port" for IPv6); throws
// nebula::Error(NEBULA_INVALID).
TcpEndpoint parse_tcp_endpoint(std::string_view url);

// An ack as the node's delivery outcome (exposed for unit tests).
Delivery delivery_from_ack(const Ack& ack);

class TcpClient {
 public:
  TcpClient(const std::string& endpoint, const nlohmann::json& config);
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
  std::string connect();  // "" when connected (TLS handshake included), else why not
  std::string payload_for(const BatchLines& lines, const std::string& node, uint64_t batch_id) const;
  Exchange exchange(const std::string& payload, uint64_t batch_id);
  void disconnect();

  TcpEndpoint endpoint_;
  ClientConfig config_;
  security::TlsContext tls_;  // set for tcp+tls://
  std::string server_name_;   // checked against the server certificate
  boost::asio::io_context ioc_;
  std::optional<security::Stream> stream_;          // engaged while connected
  std::string authenticated_;                       // node named by this connection's last auth line
  std::string inbox_;                               // bytes after the last ack read
  uint64_t next_batch_ = 1;
};

}  // namespace nebula::transport::tcp
