#include "webhook_client.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include <nebula/host.hpp>

#include "http/security/blocking_connect.hpp"

namespace nebula::sink::webhook {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

namespace {

// What a receiver that closed an idle kept-alive connection looks like on the next use.
bool closed_while_idle(const beast::error_code& ec) {
  return ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message || ec == asio::error::eof ||
         ec == asio::error::connection_reset || ec == asio::error::broken_pipe ||
         ec == asio::ssl::error::stream_truncated;
}

}  // namespace

WebhookClient::WebhookClient(transport::http::HttpEndpoint endpoint, security::TlsContext tls,
                             std::chrono::milliseconds timeout)
    : endpoint_(std::move(endpoint)), tls_(std::move(tls)), timeout_(timeout) {}

WebhookClient::~WebhookClient() { disconnect(); }

void WebhookClient::disconnect() {
  if (!stream_) return;
  beast::error_code ignored;
  stream_->tcp().socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  stream_->tcp().close();
  stream_.reset();
  buffer_.clear();
}

beast::error_code WebhookClient::exchange(const Request& request, Response& response) {
  beast::error_code result;
  stream_->tcp().expires_after(timeout_);
  bhttp::async_write(*stream_, request, [&](beast::error_code ec, size_t) {
    if (ec) {
      result = ec;
      return;
    }
    bhttp::async_read(*stream_, buffer_, response, [&](beast::error_code rec, size_t) { result = rec; });
  });
  ioc_.restart();
  ioc_.run();
  return result;
}

Answer WebhookClient::post(const Headers& headers, std::string body) {
  Request request{bhttp::verb::post, endpoint_.target, 11};
  request.set(bhttp::field::host, endpoint_.host_header);
  request.set(bhttp::field::user_agent, "nebula-pool");
  for (const auto& [name, value] : headers) request.set(name, value);
  request.keep_alive(true);
  request.body() = std::move(body);
  request.prepare_payload();

  const std::string where = endpoint_.host_header;
  for (bool first_try = true;; first_try = false) {
    const bool reused = stream_.has_value();
    if (!stream_) {
      std::string failed = security::connect_blocking(
          ioc_, stream_, {endpoint_.host, endpoint_.port, timeout_, tls_, endpoint_.host});
      if (!failed.empty()) throw Error(NEBULA_RETRY, failed);
    }
    Response response;
    const beast::error_code ec = exchange(request, response);
    if (!ec) {
      if (!response.keep_alive()) disconnect();
      const auto retry_after = response[bhttp::field::retry_after];
      return {response.result_int(), std::string(retry_after.data(), retry_after.size()), std::move(response.body())};
    }
    disconnect();
    if (reused && first_try && closed_while_idle(ec)) continue;
    if (ec == beast::error::timeout)
      throw Error(NEBULA_RETRY, "no answer from " + where + " within " + std::to_string(timeout_.count()) + " ms");
    throw Error(NEBULA_RETRY, "POST to " + where + " failed: " + ec.message());
  }
}

}  // namespace nebula::sink::webhook
