#include "http_post_client.hpp"

#include <algorithm>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include <nebula/host.hpp>

#include "http/security/blocking_connect.hpp"

namespace nebula::sinks {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using std::chrono::milliseconds;

namespace {

// What a peer that closed an idle kept-alive connection looks like on its next use.
bool closed_while_idle(const beast::error_code& ec) {
  return ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message || ec == asio::error::eof ||
         ec == asio::error::connection_reset || ec == asio::error::broken_pipe ||
         ec == asio::ssl::error::stream_truncated;  // TLS peer gone without close_notify
}

security::TlsContext client_tls(const HttpUrl& url, const std::string& ca_file) {
  if (!url.tls) return nullptr;
  try {
    return security::make_client_context({ca_file, "", "", ""});
  } catch (const security::TlsFileError& e) {  // e.g. the file changed since the config was validated
    throw Error(NEBULA_INVALID, std::string("ca_file: ") + e.what());
  }
}

}  // namespace

HttpPostClient::HttpPostClient(HttpUrl url, HttpPostOptions options)
    : url_(std::move(url)), options_(std::move(options)), tls_(client_tls(url_, options_.ca_file)) {}

HttpPostClient::~HttpPostClient() { disconnect(); }

void HttpPostClient::disconnect() {
  if (!stream_) return;
  beast::error_code ignored;
  stream_->tcp().socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  stream_->tcp().close();
  stream_.reset();
  buffer_.clear();
}

HttpPostClient::Request HttpPostClient::request(const Headers& headers, std::string body) const {
  Request request{bhttp::verb::post, url_.target(), 11};
  request.set(bhttp::field::host, url_.host_header);
  request.set(bhttp::field::user_agent, options_.user_agent);
  for (const auto& [name, value] : headers) request.set(name, value);
  request.keep_alive(true);
  request.body() = std::move(body);
  request.prepare_payload();
  return request;
}

milliseconds HttpPostClient::step_timeout(Clock::time_point deadline) const {
  if (options_.scope == TimeoutScope::each_step) return options_.timeout;
  // What is left of the budget, but a little at least so a slow connect still gets its answer read.
  constexpr milliseconds kAtLeast{50};
  return std::max(std::chrono::duration_cast<milliseconds>(deadline - Clock::now()), kAtLeast);
}

beast::error_code HttpPostClient::exchange(const Request& request, Response& response, milliseconds timeout) {
  beast::error_code result;
  stream_->tcp().expires_after(timeout);
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

PostOutcome HttpPostClient::outcome(const Response& response) const {
  if (bhttp::to_status_class(response.result()) == bhttp::status_class::successful) return {};
  const auto retry_after = response[bhttp::field::retry_after];
  const std::string_view body = response.body();
  return outcome_of(response.result_int(), std::string_view(retry_after.data(), retry_after.size()),
                    options_.reason ? options_.reason(body) : std::string(body));
}

PostOutcome HttpPostClient::post(const Headers& headers, std::string body) {
  const Request req = request(headers, std::move(body));
  const auto deadline = Clock::now() + options_.timeout;
  const std::string& where = url_.host_header;
  for (bool first_try = true;; first_try = false) {
    const bool reused = stream_.has_value();
    if (!stream_) {
      const std::string failed =
          security::connect_blocking(ioc_, stream_, {url_.host, url_.port, step_timeout(deadline), tls_, url_.host});
      if (!failed.empty()) return no_answer(failed);
    }
    Response response;
    const beast::error_code ec = exchange(req, response, step_timeout(deadline));
    if (!ec) {
      if (!response.keep_alive()) disconnect();
      return outcome(response);
    }
    disconnect();
    if (reused && first_try && closed_while_idle(ec)) continue;
    if (ec == beast::error::timeout)
      return no_answer("no answer from " + where + " within " + std::to_string(options_.timeout.count()) + " ms");
    return no_answer("POST to " + where + " failed: " + ec.message());
  }
}

}  // namespace nebula::sinks
