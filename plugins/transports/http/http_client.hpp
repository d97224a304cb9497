// Client side of the HTTP transport (used by the node library): POSTs one
// data_batch document over a kept-alive connection (TLS for https://, the
// server certificate always verified) and maps the answer to a Delivery.
// One deliver() at a time per client (ABI rule), so no locking.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/io_context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <nlohmann/json.hpp>

#include <nebula/plugin.hpp>

#include "http/security/tls_context.hpp"
#include "http/security/tls_stream.hpp"
#include "http_config.hpp"
#include "http_endpoint.hpp"

namespace nebula::transport::http {

class HttpClient {
 public:
  HttpClient(const std::string& endpoint, const nlohmann::json& config);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  Delivery deliver(std::string_view batch_json);

 private:
  using Request = boost::beast::http::request<boost::beast::http::string_body>;
  using Answer = boost::beast::http::response<boost::beast::http::string_body>;

  // "" when connected (TLS handshake included), else why not.
  std::string connect();
  boost::beast::error_code exchange(const Request& req, Answer& answer);
  void disconnect();
  std::string node_id_for(std::string_view batch_json) const;

  HttpEndpoint endpoint_;
  ClientConfig config_;
  security::TlsContext tls_;  // set for https://
  std::string server_name_;   // checked against the server certificate
  boost::asio::io_context ioc_;
  std::optional<security::Stream> stream_;  // engaged while connected
  boost::beast::flat_buffer buffer_;
};

// Maps an HTTP answer to a delivery (exposed for unit tests).
Delivery delivery_from_answer(unsigned status, std::string_view retry_after, std::string_view accepted_header,
                              std::string_view rejected_header, std::string_view body);

}  // namespace nebula::transport::http
