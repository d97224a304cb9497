#include "http_client.hpp"

#include <charconv>
#include <chrono>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include "http/security/blocking_connect.hpp"
#include "ingest_response.hpp"
#include "tls_config.hpp"

namespace nebula::transport::http {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using asio::ip::tcp;
using std::chrono::milliseconds;

namespace {

std::optional<uint64_t> parse_count(std::string_view s) {
  uint64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

uint32_t clamp32(uint64_t v) { return v > UINT32_MAX ? UINT32_MAX : static_cast<uint32_t>(v); }

// The sender-facing reason in an error answer: "error", "message" or
// "errors" of a JSON body, else the body itself.
std::string error_text(std::string_view body) {
  auto doc = nlohmann::json::parse(body, nullptr, false);
  if (doc.is_object()) {
    for (const char* key : {"error", "message"})
      if (doc.contains(key) && doc[key].is_string()) return doc[key].get<std::string>();
    if (doc.contains("errors") && doc["errors"].is_array()) {
      std::string out;
      for (const auto& e : doc["errors"]) out += (out.empty() ? "" : "; ") + (e.is_string() ? e.get<std::string>() : e.dump());
      return out;
    }
  }
  return std::string(body.substr(0, 240));
}

uint32_t count_from(std::string_view header, const nlohmann::json& doc, const char* key) {
  if (auto v = parse_count(header)) return clamp32(*v);
  if (doc.is_object() && doc.contains(key) && doc[key].is_number_unsigned()) return clamp32(doc[key].get<uint64_t>());
  return 0;
}

bool is_stale_connection_error(const beast::error_code& ec) {
  return ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message || ec == asio::error::eof ||
         ec == asio::error::connection_reset || ec == asio::error::broken_pipe ||
         ec == asio::ssl::error::stream_truncated;  // TLS peer closed without close_notify
}

Delivery retry(std::string message) {
  Delivery d;
  d.status = NEBULA_RETRY;
  d.message = std::move(message);
  return d;
}

}  // namespace

Delivery delivery_from_answer(unsigned status, std::string_view retry_after, std::string_view accepted_header,
                              std::string_view rejected_header, std::string_view body) {
  Delivery d;
  const auto doc = nlohmann::json::parse(body, nullptr, false);
  if (status >= 200 && status < 300) {
    d.status = NEBULA_OK;
    d.accepted = count_from(accepted_header, doc, "accepted");
    d.rejected = count_from(rejected_header, doc, "rejected");
    d.message = "accepted";
    return d;
  }
  const std::string prefix = "HTTP " + std::to_string(status) + ": ";
  if (status == 429 || status >= 500) {
    d.status = NEBULA_RETRY;
    if (auto secs = parse_count(retry_after)) d.retry_after_ms = clamp32(*secs * 1000);
    else if (doc.is_object() && doc.contains("retry_after_ms") && doc["retry_after_ms"].is_number_unsigned())
      d.retry_after_ms = clamp32(doc["retry_after_ms"].get<uint64_t>());
    d.message = prefix + error_text(body);
    return d;
  }
  d.status = NEBULA_INVALID;
  d.rejected = count_from(rejected_header, doc, "rejected");
  d.message = prefix + (status >= 400 ? error_text(body) : std::string("unexpected status"));
  return d;
}

HttpClient::HttpClient(const std::string& endpoint, const nlohmann::json& config) : endpoint_(parse_http_endpoint(endpoint)) {
  ConfigErrors errors;
  config_ = read_client_config(config, errors);
  if (!errors.empty()) throw Error(NEBULA_INVALID, errors.text());
  auto tls = client_tls_setup(config_.tls, endpoint_.tls, endpoint_.host, endpoint, "https://");
  tls_ = std::move(tls.context);
  server_name_ = std::move(tls.server_name);
}

HttpClient::~HttpClient() { disconnect(); }

std::string HttpClient::connect() {
  return security::connect_blocking(ioc_, stream_,
                                    {endpoint_.host, endpoint_.port, milliseconds(config_.connect_timeout_ms), tls_,
                                     server_name_});
}

beast::error_code HttpClient::exchange(const Request& req, Answer& answer) {
  beast::error_code result;
  stream_->tcp().expires_after(milliseconds(config_.read_timeout_ms));
  bhttp::async_write(*stream_, req, [&](beast::error_code ec, size_t) {
    if (ec) {
      result = ec;
      return;
    }
    bhttp::async_read(*stream_, buffer_, answer, [&](beast::error_code rec, size_t) { result = rec; });
  });
  ioc_.restart();
  ioc_.run();
  return result;
}

void HttpClient::disconnect() {
  if (!stream_) return;
  beast::error_code ignored;
  stream_->tcp().socket().shutdown(tcp::socket::shutdown_both, ignored);
  stream_->tcp().close();
  stream_.reset();
  buffer_.clear();
}

std::string HttpClient::node_id_for(std::string_view batch_json) const {
  if (!config_.node_id.empty()) return config_.node_id;
  if (config_.token.empty()) return {};  // only token checks need it; skip the parse
  auto doc = nlohmann::json::parse(batch_json, nullptr, false);
  if (doc.is_object() && doc.contains("node_id") && doc["node_id"].is_string()) return doc["node_id"].get<std::string>();
  return {};
}

Delivery HttpClient::deliver(std::string_view batch_json) {
  Request req{bhttp::verb::post, endpoint_.target, 11};
  req.set(bhttp::field::host, endpoint_.host_header);
  req.set(bhttp::field::user_agent, "nebula-node");
  req.set(bhttp::field::content_type, "application/json");
  if (!config_.token.empty()) req.set(bhttp::field::authorization, "Bearer " + config_.token);
  if (auto node = node_id_for(batch_json); !node.empty()) req.set("X-Nebula-Node", node);
  req.keep_alive(true);
  req.body() = std::string(batch_json);
  req.prepare_payload();

  const std::string where = endpoint_.host_header;
  for (int attempt = 0;; ++attempt) {
    const bool reused = stream_.has_value();
    if (!stream_) {
      if (auto failed = connect(); !failed.empty()) return retry(failed);
    }
    Answer answer;
    beast::error_code ec = exchange(req, answer);
    if (!ec) {
      if (!answer.keep_alive()) disconnect();
      auto header = [&](std::string_view name) {
        auto v = answer[beast::string_view(name.data(), name.size())];
        return std::string_view(v.data(), v.size());
      };
      return delivery_from_answer(answer.result_int(), header("Retry-After"), header(kAcceptedHeader),
                                  header(kRejectedHeader), answer.body());
    }
    disconnect();
    // The server may have closed an idle kept-alive connection just before we
    // used it: retry once on a fresh one. Anything else is for the caller.
    if (reused && attempt == 0 && is_stale_connection_error(ec)) continue;
    if (ec == beast::error::timeout)
      return retry("no answer from " + where + " within " + std::to_string(config_.read_timeout_ms) + " ms");
    return retry("delivery to " + where + " failed: " + ec.message());
  }
}

}  // namespace nebula::transport::http
