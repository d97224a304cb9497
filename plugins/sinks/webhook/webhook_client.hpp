// One kept-alive HTTP(S) connection to the webhook receiver. post() is
// blocking (the sink's delivery thread is the only caller): connect and TLS
// handshake within the timeout when not connected, then request and answer
// within the timeout again. A connection the receiver closed while idle is
// replaced once, transparently.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include "http/security/tls_context.hpp"
#include "http/security/tls_stream.hpp"
#include "http_endpoint.hpp"

namespace nebula::sink::webhook {

struct Answer {
  unsigned status = 0;
  std::string retry_after;  // the Retry-After header, "" when absent
  std::string body;
};

class WebhookClient {
 public:
  using Headers = std::vector<std::pair<std::string, std::string>>;

  // `tls` null for http://; for https:// the server certificate is always verified.
  WebhookClient(transport::http::HttpEndpoint endpoint, security::TlsContext tls, std::chrono::milliseconds timeout);
  ~WebhookClient();
  WebhookClient(const WebhookClient&) = delete;
  WebhookClient& operator=(const WebhookClient&) = delete;

  // Throws nebula::Error(NEBULA_RETRY, why) when no answer came (refused,
  // TLS failure, timeout, connection lost).
  Answer post(const Headers& headers, std::string body);

  bool connected() const { return stream_.has_value(); }

 private:
  using Request = boost::beast::http::request<boost::beast::http::string_body>;
  using Response = boost::beast::http::response<boost::beast::http::string_body>;

  boost::beast::error_code exchange(const Request& request, Response& response);
  void disconnect();

  transport::http::HttpEndpoint endpoint_;
  security::TlsContext tls_;
  std::chrono::milliseconds timeout_;
  boost::asio::io_context ioc_;
  std::optional<security::Stream> stream_;  // engaged while connected
  boost::beast::flat_buffer buffer_;
};

}  // namespace nebula::sink::webhook
