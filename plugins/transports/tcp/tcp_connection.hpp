// One sender connection: frames the byte stream into lines, collects record
// lines until a commit line, hands the batch to the host (NDJSON, unparsed)
// and writes one ack line. After a "retry" ack it stops reading for the
// host's retry_after_ms (back-pressure); the sender resends the batch.
// All members are touched only on the connection's strand.
#pragma once

#include <array>
#include <memory>
#include <string>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <nlohmann/json.hpp>

#include "tcp_context.hpp"
#include "tcp_wire.hpp"

namespace nebula::transport::tcp {

class TcpConnection : public std::enable_shared_from_this<TcpConnection> {
 public:
  TcpConnection(boost::asio::ip::tcp::socket socket, std::shared_ptr<TcpContext> ctx);
  ~TcpConnection();
  TcpConnection(const TcpConnection&) = delete;
  TcpConnection& operator=(const TcpConnection&) = delete;

  void start();     // registers and starts reading; call once, on the strand
  void shutdown();  // [thread-safe] close once the batch in flight (if any) is acked

 private:
  enum class State { reading, submitting, writing, paused, closing };

  void process();  // frames buffered bytes; reads more when it needs to
  void read();
  void submit(const nlohmann::json& batch_id);
  void write_ack(const Ack& ack, uint32_t pause_ms);
  void protocol_error(const std::string& message);
  void close();
  void linger_close();

  boost::beast::tcp_stream stream_;
  std::shared_ptr<TcpContext> ctx_;
  boost::asio::steady_timer pause_;
  std::string peer_;
  std::string inbox_;   // received, not yet framed
  std::string batch_;   // record lines of the open batch, "\n"-terminated
  size_t batch_lines_ = 0;
  uint64_t line_no_ = 0;  // for error messages
  std::array<char, 16 * 1024> chunk_{};
  std::shared_ptr<std::string> outgoing_;
  State state_ = State::reading;
  bool stopping_ = false;
};

}  // namespace nebula::transport::tcp
