#include "alertmanager_client.hpp"

#include <optional>

#include <boost/asio/io_context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <nlohmann/json.hpp>

#include <nebula/host.hpp>

#include "http/security/blocking_connect.hpp"
#include "http/security/tls_stream.hpp"

namespace nebula::alertmanager {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

namespace {

constexpr size_t kMessageCap = 400;  // Alertmanager's reason, enough for a log line

PostResult retry(std::string message) { return {NEBULA_RETRY, 0, std::move(message)}; }

}  // namespace

std::string alertmanager_message(std::string_view body) {
  const auto doc = nlohmann::json::parse(body, nullptr, false);
  if (doc.is_string()) return doc.get<std::string>().substr(0, kMessageCap);
  if (doc.is_object() && doc.contains("message") && doc["message"].is_string())
    return doc["message"].get<std::string>().substr(0, kMessageCap);
  return std::string(body.substr(0, kMessageCap));
}

PostResult post_result_from_answer(unsigned status, std::string_view body) {
  if (status >= 200 && status < 300) return {NEBULA_OK, status, "accepted"};
  const std::string what = "Alertmanager answered " + std::to_string(status) + ": " + alertmanager_message(body);
  if (status == 429 || status >= 500) return {NEBULA_RETRY, status, what};
  return {NEBULA_INVALID, status, what};
}

AlertmanagerClient::AlertmanagerClient(const std::string& url, std::chrono::milliseconds timeout)
    : url_(parse_alertmanager_url(url)), timeout_(timeout) {
  if (url_.tls) tls_ = security::make_client_context(security::ClientTls{});
}

std::string AlertmanagerClient::alerts_url() const {
  return std::string(url_.tls ? "https://" : "http://") + url_.host_header + url_.alerts_target();
}

PostResult AlertmanagerClient::post_alerts(const std::string& body_json) {
  const auto deadline = std::chrono::steady_clock::now() + timeout_;
  asio::io_context ioc;
  std::optional<security::Stream> stream;
  if (auto failed = security::connect_blocking(ioc, stream, {url_.host, url_.port, timeout_, tls_, url_.host});
      !failed.empty())
    return retry(failed);

  bhttp::request<bhttp::string_body> req{bhttp::verb::post, url_.alerts_target(), 11};
  req.set(bhttp::field::host, url_.host_header);
  req.set(bhttp::field::user_agent, "nebula-sink-alertmanager");
  req.set(bhttp::field::content_type, "application/json");
  req.keep_alive(false);
  req.body() = body_json;
  req.prepare_payload();

  bhttp::response<bhttp::string_body> answer;
  beast::flat_buffer buffer;
  beast::error_code result;
  // What is left of the budget after connecting (at least a little, so a
  // slow connect still gets its answer read).
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
  stream->tcp().expires_after(std::max(left, std::chrono::milliseconds(50)));
  bhttp::async_write(*stream, req, [&](beast::error_code ec, size_t) {
    if (ec) {
      result = ec;
      return;
    }
    bhttp::async_read(*stream, buffer, answer, [&](beast::error_code rec, size_t) { result = rec; });
  });
  ioc.restart();
  ioc.run();
  beast::error_code ignored;
  stream->tcp().socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  if (result == beast::error::timeout)
    return retry("no answer from " + alerts_url() + " within " + std::to_string(timeout_.count()) + " ms");
  if (result) return retry("POST " + alerts_url() + " failed: " + result.message());
  return post_result_from_answer(answer.result_int(), answer.body());
}

}  // namespace nebula::alertmanager
