#include "tcp_connection.hpp"

#include <chrono>

#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>

#include "record_owner.hpp"
#include "tls_config.hpp"

namespace nebula::transport::tcp {
namespace asio = boost::asio;
namespace beast = boost::beast;
using std::chrono::milliseconds;

namespace {

// How long a refused sender may keep sending before we close on it.
constexpr milliseconds kLingerTime{2000};

std::string peer_of(const asio::ip::tcp::socket& s) {
  boost::system::error_code ec;
  auto ep = s.remote_endpoint(ec);
  if (ec) return "unknown";
  auto addr = ep.address();
  return (addr.is_v6() ? "[" + addr.to_string() + "]" : addr.to_string()) + ":" + std::to_string(ep.port());
}

bool is_blank(std::string_view line) { return line.find_first_not_of(" \t") == std::string_view::npos; }

std::string too_long(uint64_t line_no, uint64_t limit) {
  return "line " + std::to_string(line_no) + " is longer than max_line_bytes (" + std::to_string(limit) + ")";
}

}  // namespace

TcpConnection::TcpConnection(asio::ip::tcp::socket socket, std::shared_ptr<TcpContext> ctx,
                             ConnectionLimiter::Slot slot)
    : stream_(std::move(socket)),
      ctx_(std::move(ctx)),
      slot_(std::move(slot)),
      pause_(stream_.get_executor()),
      peer_(peer_of(stream_.tcp().socket())) {}

TcpConnection::~TcpConnection() { ctx_->connections.remove(this); }

void TcpConnection::start() {
  ctx_->connections.add(this, weak_from_this());
  const milliseconds timeout(ctx_->config.idle_timeout_ms);
  stream_.accept_tls(ctx_->tls, timeout, [self = shared_from_this()](beast::error_code ec) {
    if (!ec) return self->admitted();
    // An untrusted or missing client certificate, plain TCP on the TLS port, a scan.
    if (!self->stopping_) count_handshake_failure(self->ctx_->host, self->peer_, ec);
    self->close();
  });
}

void TcpConnection::admitted() {
  if (slot_) return read();
  // Not an error in what was sent: the sender should come back (RETRY), not drop the batch.
  Ack ack = error_ack(nullptr, "too many connections from this client (max_connections_per_client " +
                                   std::to_string(ctx_->limiter->limit()) + ")");
  ack.status = AckStatus::retry;
  ack.retry_after_ms = ctx_->config.default_retry_ms;
  ctx_->host.count("connections_refused");
  refuse(ack);
}

void TcpConnection::shutdown() {
  asio::post(stream_.get_executor(), [self = shared_from_this()] {
    self->stopping_ = true;
    // Reading or pausing: nothing is with the host, so stop now. An open
    // (uncommitted) batch is dropped; the sender resends it, as after any close.
    if (self->state_ == State::reading) self->stream_.tcp().cancel();
    if (self->state_ == State::paused) self->pause_.cancel();
  });
}

void TcpConnection::process() {
  if (stopping_) return close();
  const auto& cfg = ctx_->config;
  size_t pos = 0;
  for (;;) {
    const size_t nl = inbox_.find('\n', pos);
    if (nl == std::string::npos) break;
    std::string_view line(inbox_.data() + pos, nl - pos);
    pos = nl + 1;
    ++line_no_;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.size() > cfg.max_line_bytes) return protocol_error(too_long(line_no_, cfg.max_line_bytes), "line_too_long");
    if (is_blank(line)) continue;
    // Only for an error message: not built for every record line.
    const auto where = [&] { return "line " + std::to_string(line_no_) + ": "; };
    if (auto control = parse_control_line(line)) {
      if (!control->problem.empty()) return protocol_error(where() + control->problem);
      if (control->is_auth) {
        if (batch_lines_ > 0) return protocol_error(where() + "auth line inside an open batch (send it before a record)");
        if (!authenticate(*control)) return;
        continue;
      }
      inbox_.erase(0, pos);  // later lines wait until this batch is acked
      return submit(control->batch);
    }
    if (ctx_->tokens && node_id_.empty()) {
      ctx_->host.count("unauthorized");
      return refuse(error_ack(nullptr, where() + "authentication required: send an auth line "
                                               R"({"nebula":"auth","node_id":…,"token":…} first)"));
    }
    if (batch_.size() + line.size() + 1 > cfg.max_batch_bytes)
      return protocol_error("batch exceeds max_batch_bytes (" + std::to_string(cfg.max_batch_bytes) + ")",
                            "batch_too_large");
    batch_.append(line);
    batch_ += '\n';
    ++batch_lines_;
  }
  inbox_.erase(0, pos);
  if (inbox_.size() > cfg.max_line_bytes)  // what is left is one unfinished line
    return protocol_error(too_long(line_no_ + 1, cfg.max_line_bytes), "line_too_long");
  read();
}

bool TcpConnection::authenticate(const ControlLine& auth) {
  if (!ctx_->tokens) return true;  // no tokens_file: an auth line is accepted and ignored
  const auto check = ctx_->tokens->check(auth.node_id, auth.token);
  if (check == TokenStore::Check::ok) {
    node_id_ = auth.node_id;
    return true;
  }
  node_id_.clear();
  ctx_->host.count("unauthorized");
  refuse(error_ack(nullptr, std::string("authentication failed: ") + refusal_reason(check)));
  return false;
}

void TcpConnection::read() {
  state_ = State::reading;
  stream_.tcp().expires_after(milliseconds(ctx_->config.idle_timeout_ms));
  stream_.async_read_some(asio::buffer(chunk_), [self = shared_from_this()](beast::error_code ec, size_t n) {
    // Closed mid-line, idle too long, or shutdown: the open batch was never
    // committed, so nothing of it is submitted.
    if (ec) return self->close();
    self->inbox_.append(self->chunk_.data(), n);
    self->process();
  });
}

void TcpConnection::submit(const nlohmann::json& batch_id) {
  state_ = State::submitting;
  if (batch_lines_ == 0) {  // an empty batch is trivially accepted; the host never sees it
    Ack empty;
    empty.batch = batch_id;
    return write_ack(empty, 0);
  }
  auto payload = std::make_shared<std::string>(std::move(batch_));
  batch_.clear();
  const size_t lines = batch_lines_;
  batch_lines_ = 0;
  nlohmann::json meta{{"peer", peer_}, {"transport", "tcp"}};
  if (!node_id_.empty()) meta["node_id"] = node_id_;
  // The host may block (durable write); run it off the I/O threads.
  asio::post(ctx_->submit_executor, [self = shared_from_this(), payload, batch_id, lines, meta = meta.dump()] {
    Ack ack = self->answer(*payload, batch_id, meta);
    self->ctx_->host.count(std::string("batches_") + to_string(ack.status));
    self->ctx_->host.count("lines_received", static_cast<double>(lines));
    const uint32_t pause = ack.status == AckStatus::retry ? ack.retry_after_ms : 0;
    asio::post(self->stream_.get_executor(), [self, ack = std::move(ack), pause] { self->write_ack(ack, pause); });
  });
}

// Runs on a submit thread; node_id_ does not change while a batch is with the host.
Ack TcpConnection::answer(const std::string& payload, const nlohmann::json& batch_id, const std::string& meta) const {
  if (ctx_->tokens) {
    // The auth line proved who the sender is; it may send only its own records.
    if (auto problem = foreign_node_in_lines(payload, node_id_)) {
      if (!problem->unreadable) ctx_->host.count("forbidden_records");
      return error_ack(batch_id, problem->reason);
    }
  }
  try {
    Verdict verdict;
    ctx_->host.submit(NEBULA_FORMAT_NDJSON, payload, meta, verdict);
    return ack_from_verdict(batch_id, verdict, ctx_->config.default_retry_ms);
  } catch (const std::exception& e) {
    Ack ack = error_ack(batch_id, std::string("submission failed: ") + e.what());
    ack.status = AckStatus::retry;
    ack.retry_after_ms = ctx_->config.default_retry_ms;
    return ack;
  }
}

void TcpConnection::write_ack(const Ack& ack, uint32_t pause_ms) {
  state_ = State::writing;
  outgoing_ = std::make_shared<std::string>(to_line(ack) + "\n");
  stream_.tcp().expires_after(milliseconds(ctx_->config.idle_timeout_ms));
  asio::async_write(stream_, asio::buffer(*outgoing_), [self = shared_from_this(), pause_ms](beast::error_code ec, size_t) {
    self->outgoing_.reset();
    if (ec) return self->close();
    ++self->ctx_->batches;
    if (pause_ms == 0 || self->stopping_) return self->process();
    // Back-pressure: leave the sender's bytes in the socket until the host
    // said it could take more. Other connections are unaffected.
    self->state_ = State::paused;
    self->pause_.expires_after(milliseconds(pause_ms));
    self->pause_.async_wait([self](boost::system::error_code) { self->process(); });
  });
}

void TcpConnection::protocol_error(const std::string& message, const char* limit_counter) {
  ctx_->host.count("protocol_errors");
  if (limit_counter) ctx_->host.count(limit_counter);
  refuse(error_ack(nullptr, message));
}

void TcpConnection::refuse(const Ack& ack) {
  state_ = State::writing;
  stopping_ = true;
  ctx_->host.warn("tcp transport: closing " + peer_ + ": " + ack.errors.dump());
  outgoing_ = std::make_shared<std::string>(to_line(ack) + "\n");
  stream_.tcp().expires_after(milliseconds(ctx_->config.idle_timeout_ms));
  asio::async_write(stream_, asio::buffer(*outgoing_), [self = shared_from_this()](beast::error_code ec, size_t) {
    self->outgoing_.reset();
    if (ec) return self->close();
    self->linger_close();
  });
}

void TcpConnection::close() {
  state_ = State::closing;
  pause_.cancel();
  boost::system::error_code ignored;
  stream_.tcp().socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  stream_.tcp().close();
}

// The sender may still be sending; closing with unread bytes would reset the
// connection and could destroy our error ack before it is read. Stop sending,
// drain for a bounded time, then close. The drain reads raw TCP bytes (under
// TLS too): they are discarded unread.
void TcpConnection::linger_close() {
  state_ = State::closing;
  boost::system::error_code ignored;
  stream_.tcp().socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
  stream_.tcp().expires_after(kLingerTime);
  struct Drain {
    std::shared_ptr<TcpConnection> self;
    void operator()(beast::error_code ec, size_t) {
      if (ec) return self->stream_.tcp().close();
      self->stream_.tcp().async_read_some(asio::buffer(self->chunk_), std::move(*this));
    }
  };
  stream_.tcp().async_read_some(asio::buffer(chunk_), Drain{shared_from_this()});
}

}  // namespace nebula::transport::tcp
