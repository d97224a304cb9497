#include "tcp_client.hpp"

#include <chrono>
#include <functional>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/ssl/error.hpp>

#include "http/security/blocking_connect.hpp"
#include "tls_config.hpp"
#include <boost/asio/write.hpp>

namespace nebula::transport::tcp {
namespace asio = boost::asio;
namespace beast = boost::beast;
using asio::ip::tcp;
using std::chrono::milliseconds;

namespace {

Delivery retry(std::string message) {
  Delivery d;
  d.status = NEBULA_RETRY;
  d.message = std::move(message);
  return d;
}

std::string joined(const nlohmann::json& errors) {
  std::string out;
  if (!errors.is_array()) return out;
  for (const auto& e : errors) out += (out.empty() ? "" : "; ") + (e.is_string() ? e.get<std::string>() : e.dump());
  return out;
}

bool is_stale_connection_error(const boost::system::error_code& ec) {
  return ec == asio::error::eof || ec == asio::error::connection_reset || ec == asio::error::broken_pipe ||
         ec == asio::ssl::error::stream_truncated;  // TLS peer closed without close_notify
}

}  // namespace

TcpEndpoint parse_tcp_endpoint(std::string_view url) {
  const std::string original(url);
  auto bad = [&](const std::string& why) { return Error(NEBULA_INVALID, "endpoint '" + original + "': " + why); };
  const bool tls = url.substr(0, 10) == "tcp+tls://";
  if (!tls && url.substr(0, 6) != "tcp://") throw bad("must start with tcp:// or tcp+tls://");
  url.remove_prefix(tls ? 10 : 6);
  if (!url.empty() && url.back() == '/') url.remove_suffix(1);
  std::string_view host, port;
  if (!url.empty() && url.front() == '[') {
    auto close = url.find("]:");
    if (close == std::string_view::npos) throw bad("expected [ipv6]:port");
    host = url.substr(1, close - 1);
    port = url.substr(close + 2);
  } else {
    auto colon = url.rfind(':');
    if (colon == std::string_view::npos) throw bad("expected host:port");
    host = url.substr(0, colon);
    port = url.substr(colon + 1);
  }
  if (host.empty()) throw bad("no host");
  if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string_view::npos ||
      std::stoul(std::string(port)) > 65535)
    throw bad("port must be a number up to 65535");
  return {std::string(host), std::string(port), tls};
}

Delivery delivery_from_ack(const Ack& ack) {
  Delivery d;
  d.accepted = ack.accepted;
  d.rejected = ack.rejected;
  const std::string why = joined(ack.errors);
  switch (ack.status) {
    case AckStatus::accepted:
      d.status = NEBULA_OK;
      d.message = why.empty() ? "accepted" : "accepted with rejections: " + why;
      break;
    case AckStatus::retry:
      d.status = NEBULA_RETRY;
      d.retry_after_ms = ack.retry_after_ms;
      d.message = why.empty() ? "pool busy, retry later" : why;
      break;
    case AckStatus::rejected:
      d.status = NEBULA_INVALID;
      d.message = why.empty() ? "rejected" : why;
      break;
  }
  return d;
}

TcpClient::TcpClient(const std::string& endpoint, const nlohmann::json& config) : endpoint_(parse_tcp_endpoint(endpoint)) {
  ConfigErrors errors;
  config_ = read_client_config(config, errors);
  if (!errors.empty()) throw Error(NEBULA_INVALID, errors.text());
  auto tls = client_tls_setup(config_.tls, endpoint_.tls, endpoint_.host, endpoint, "tcp+tls://");
  tls_ = std::move(tls.context);
  server_name_ = std::move(tls.server_name);
}

TcpClient::~TcpClient() { disconnect(); }

std::string TcpClient::connect() {
  return security::connect_blocking(ioc_, stream_,
                                    {endpoint_.host, endpoint_.port, milliseconds(config_.connect_timeout_ms), tls_,
                                     server_name_});
}

void TcpClient::disconnect() {
  if (!stream_) return;
  boost::system::error_code ignored;
  stream_->tcp().socket().shutdown(tcp::socket::shutdown_both, ignored);
  stream_->tcp().close();
  stream_.reset();
  inbox_.clear();
  authenticated_.clear();
}

// Writes the batch and reads ack lines until this batch's (or a
// connection-level error ack) arrives. Reading starts at once, beside the
// write: a server that refuses early answers before it has read everything.
TcpClient::Exchange TcpClient::exchange(const std::string& payload, uint64_t batch_id) {
  Exchange result;
  bool write_done = false, read_done = false, abandon = false;
  boost::system::error_code write_ec;
  stream_->tcp().expires_after(milliseconds(config_.ack_timeout_ms));
  asio::async_write(*stream_, asio::buffer(payload), [&](beast::error_code ec, size_t) {
    write_done = true;
    write_ec = ec;
  });
  std::function<void()> read_line = [&] {
    asio::async_read_until(*stream_, asio::dynamic_buffer(inbox_), '\n', [&](beast::error_code ec, size_t n) {
      if (ec) {
        read_done = true;
        result.error = ec;
        return;
      }
      result.got_bytes = true;
      std::string line = inbox_.substr(0, n - 1);
      inbox_.erase(0, n);
      try {
        Ack ack = parse_ack(line);
        if (ack.batch.is_null() || ack.batch == batch_id) {
          result.ack = std::move(ack);
          read_done = true;
          return;
        }
      } catch (const std::exception&) {
        result.error = asio::error::invalid_argument;
        read_done = true;
        return;
      }
      if (abandon) {
        read_done = true;
        return;
      }
      read_line();  // an ack for an older batch: not ours
    });
  };
  read_line();
  ioc_.restart();
  while (!read_done && !(write_done && write_ec))
    if (ioc_.run_one() == 0) break;
  if (!result.ack && !result.error) result.error = write_ec;
  if (!write_done || !read_done) {  // finish the other half before the locals go
    abandon = true;
    stream_->tcp().cancel();
    ioc_.run();
  }
  return result;
}

// The batch's lines and commit, after an auth line when this connection has
// not yet named the node (the server checks the batch's records against it).
std::string TcpClient::payload_for(const BatchLines& lines, const std::string& node, uint64_t batch_id) const {
  std::string out;
  if (!config_.token.empty() && node != authenticated_) out = auth_line(node, config_.token) + "\n";
  return out + lines.text + commit_line(batch_id) + "\n";
}

Delivery TcpClient::deliver(std::string_view batch_json) {
  const BatchLines lines = batch_to_lines(batch_json);
  const uint64_t batch_id = next_batch_++;
  const std::string where = endpoint_.host + ":" + endpoint_.port;
  const std::string& node = config_.node_id.empty() ? lines.node_id : config_.node_id;

  for (int attempt = 0;; ++attempt) {
    const bool reused = stream_.has_value();
    if (!stream_) {
      if (auto failed = connect(); !failed.empty()) return retry(failed);
    }
    Exchange ex = exchange(payload_for(lines, node, batch_id), batch_id);
    if (ex.ack) {
      if (!config_.token.empty()) authenticated_ = node;
      // A connection-level error ack (batch null) is followed by a close.
      if (ex.ack->batch.is_null()) disconnect();
      return delivery_from_ack(*ex.ack);
    }
    disconnect();
    // The server may have dropped an idle connection just before we used it:
    // resend once on a fresh one (acks are per batch id, so this is safe).
    if (reused && attempt == 0 && !ex.got_bytes && is_stale_connection_error(ex.error)) continue;
    if (ex.error == beast::error::timeout)
      return retry("no ack from " + where + " within " + std::to_string(config_.ack_timeout_ms) + " ms");
    if (ex.error == asio::error::invalid_argument) return retry("unreadable ack from " + where);
    return retry("delivery to " + where + " failed: " + ex.error.message());
  }
}

}  // namespace nebula::transport::tcp
