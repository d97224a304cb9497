// One sender connection (plain or TLS): frames the byte stream into lines,
// collects record lines until a commit line, hands the batch to the host
// (NDJSON, unparsed unless tokens are on) and writes one ack line. After a
// "retry" ack it stops reading for the host's retry_after_ms (back-pressure);
// the sender resends the batch. With a tokens_file an auth line must name the
// node first, and a batch may only carry that node's records. A connection
// over the per-client cap only gets a retry ack. All members are touched
// only on the connection's strand.
#pragma once

#include <array>
#include <memory>
#include <string>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <nlohmann/json.hpp>

#include "http/security/tls_stream.hpp"
#include "tcp_context.hpp"
#include "tcp_wire.hpp"

namespace nebula::transport::tcp {

class TcpConnection : public std::enable_shared_from_this<TcpConnection> {
 public:
  // An empty `slot` means the client is over max_connections_per_client.
  TcpConnection(boost::asio::ip::tcp::socket socket, std::shared_ptr<TcpContext> ctx, ConnectionLimiter::Slot slot);
  ~TcpConnection();
  TcpConnection(const TcpConnection&) = delete;
  TcpConnection& operator=(const TcpConnection&) = delete;

  void start();     // registers, shakes hands (TLS), starts reading; call once, on the strand
  void shutdown();  // [thread-safe] close once the batch in flight (if any) is acked

 private:
  enum class State { reading, submitting, writing, paused, closing };

  void admitted();  // after the handshake: serve, or refuse when over the cap
  void process();   // frames buffered bytes; reads more when it needs to
  bool authenticate(const ControlLine& auth);  // false: the connection is being closed
  void read();
  void submit(const nlohmann::json& batch_id);
  Ack answer(const std::string& payload, const nlohmann::json& batch_id, const std::string& meta) const;
  void write_ack(const Ack& ack, uint32_t pause_ms);
  // Writes `ack` (a connection-level one, batch null), then closes.
  void refuse(const Ack& ack);
  // Counts protocol_errors (and `limit_counter`), refuses with `message`.
  void protocol_error(const std::string& message, const char* limit_counter = nullptr);
  void close();
  void linger_close();

  security::Stream stream_;
  std::shared_ptr<TcpContext> ctx_;
  ConnectionLimiter::Slot slot_;
  boost::asio::steady_timer pause_;
  std::string peer_;
  std::string node_id_;  // authenticated by an auth line ("" = not yet)
  std::string inbox_;    // received, not yet framed
  std::string batch_;    // record lines of the open batch, "\n"-terminated
  size_t batch_lines_ = 0;
  uint64_t line_no_ = 0;  // for error messages
  std::array<char, 16 * 1024> chunk_{};
  std::shared_ptr<std::string> outgoing_;
  State state_ = State::reading;
  bool stopping_ = false;
};

}  // namespace nebula::transport::tcp
