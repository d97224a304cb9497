// One HTTP/1.1 connection (plain or TLS) to the ingest endpoint: after the
// TLS handshake, reads a request header, refuses early what it can
// (404/405/401/415/413) without reading the body, then reads the body, checks
// that an authenticated node submits only its own records (403), hands it to
// the host and writes the verdict back. Keep-alive loops to the next header.
// A connection over the per-client cap gets only a 503. All members are
// touched only on the connection's strand.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include "http/security/tls_stream.hpp"
#include "ingest_context.hpp"
#include "ingest_response.hpp"

namespace nebula::transport::http {

class IngestSession : public std::enable_shared_from_this<IngestSession> {
 public:
  // An empty `slot` means the client is over max_connections_per_client.
  IngestSession(boost::asio::ip::tcp::socket socket, std::shared_ptr<IngestContext> ctx, ConnectionLimiter::Slot slot);
  ~IngestSession();
  IngestSession(const IngestSession&) = delete;
  IngestSession& operator=(const IngestSession&) = delete;

  // Registers with the context, shakes hands (TLS) and starts reading. Call
  // once, on the strand.
  void start();
  // [thread-safe] Close once the current request (if any) is answered.
  void shutdown();

 private:
  using Parser = boost::beast::http::request_parser<boost::beast::http::string_body>;
  enum class State { idle, reading_body, busy, closing };

  void admitted();  // after the handshake: serve, or refuse when over the cap
  void read_header();
  void on_header(boost::beast::error_code ec);
  std::optional<Response> refusal();  // an early answer for this header, if any
  Response too_large(unsigned version) const;
  void continue_then_read_body();
  void read_body();
  void on_body(boost::beast::error_code ec);
  void submit();
  Response answer(const std::string& body, const std::string& meta, unsigned version, bool keep_alive) const;
  void write(Response res, bool linger);
  void on_write(boost::beast::error_code ec, bool close, bool linger);
  void close();
  void linger_close();

  security::Stream stream_;
  std::shared_ptr<IngestContext> ctx_;
  ConnectionLimiter::Slot slot_;
  boost::beast::flat_buffer buffer_;
  std::optional<Parser> parser_;
  std::shared_ptr<Response> outgoing_;  // must live until its write completes
  std::string peer_;
  std::string node_id_;
  std::string token_;
  State state_ = State::idle;
  bool stopping_ = false;
};

}  // namespace nebula::transport::http
