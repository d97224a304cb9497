// The blocking HTTP(S) POST a sink delivers with, over one kept-alive
// connection (Boost.Beast on the host's blocking connect and TLS stream, as
// the transport clients use them). One post() at a time: a sink's deliveries
// and timers never overlap. A connection the peer closed while idle is
// replaced once, transparently; https:// always verifies the certificate.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include "http/security/tls_context.hpp"
#include "http/security/tls_stream.hpp"
#include "http_post_outcome.hpp"
#include "http_url.hpp"

namespace nebula::sinks {

// What `timeout` bounds.
enum class TimeoutScope {
  each_step,   // connecting (TCP and TLS handshake), and again request + answer
  whole_post,  // connecting, request and answer together
};

struct HttpPostOptions {
  std::chrono::milliseconds timeout{5000};
  TimeoutScope scope = TimeoutScope::each_step;
  std::string ca_file{};  // https: the CA bundle the certificate must chain to; "" = system trust store
  std::string user_agent = "nebula-pool";
  // The reason an error answer's body gives (its start is quoted); unset: the body as it is.
  std::function<std::string(std::string_view body)> reason{};
};

class HttpPostClient {
 public:
  using Headers = std::vector<std::pair<std::string, std::string>>;

  // Throws nebula::Error(NEBULA_INVALID, "ca_file: ...") when the CA bundle cannot be used.
  HttpPostClient(HttpUrl url, HttpPostOptions options);
  ~HttpPostClient();
  HttpPostClient(const HttpPostClient&) = delete;
  HttpPostClient& operator=(const HttpPostClient&) = delete;

  // POSTs `body` to the URL's target with Host, User-Agent, Content-Length and
  // `headers`; never throws for what the network or the peer does.
  PostOutcome post(const Headers& headers, std::string body);

  const HttpUrl& url() const { return url_; }

 private:
  using Clock = std::chrono::steady_clock;
  using Request = boost::beast::http::request<boost::beast::http::string_body>;
  using Response = boost::beast::http::response<boost::beast::http::string_body>;

  Request request(const Headers& headers, std::string body) const;
  std::chrono::milliseconds step_timeout(Clock::time_point deadline) const;
  boost::beast::error_code exchange(const Request& request, Response& response, std::chrono::milliseconds timeout);
  PostOutcome outcome(const Response& response) const;
  void disconnect();

  HttpUrl url_;
  HttpPostOptions options_;
  security::TlsContext tls_;  // null for http://
  boost::asio::io_context ioc_;
  std::optional<security::Stream> stream_;  // engaged while connected
  boost::beast::flat_buffer buffer_;
};

}  // namespace nebula::sinks
