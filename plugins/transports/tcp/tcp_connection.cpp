#include "tcp_connection.hpp"

#include <chrono>

#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>

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

}  // namespace

TcpConnection::TcpConnection(asio::ip::tcp::socket socket, std::shared_ptr<TcpContext> ctx)
    : stream_(std::move(socket)), ctx_(std::move(ctx)), pause_(stream_.get_executor()), peer_(peer_of(stream_.socket())) {}

TcpConnection::~TcpConnection() { ctx_->connections.remove(this); }

void TcpConnection::start() {
  ctx_->connections.add(this, weak_from_this());
  read();
}

void TcpConnection::shutdown() {
  asio::post(stream_.get_executor(), [self = shared_from_this()] {
    self->stopping_ = true;
    // Reading or pausing: nothing is with the host, so stop now. An open
    // (uncommitted) batch is dropped; the sender resends it, as after any close.
    if (self->state_ == State::reading) self->stream_.cancel();
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
    if (line.size() > cfg.max_line_bytes)
      return protocol_error("line " + std::to_string(line_no_) + " is longer than max_line_bytes (" +
                            std::to_string(cfg.max_line_bytes) + ")");
    if (is_blank(line)) continue;
    if (auto control = parse_control_line(line)) {
      if (!control->problem.empty()) return protocol_error("line " + std::to_string(line_no_) + ": " + control->problem);
      inbox_.erase(0, pos);  // later lines wait until this batch is acked
      return submit(control->batch);
    }
    if (batch_.size() + line.size() + 1 > cfg.max_batch_bytes)
      return protocol_error("batch exceeds max_batch_bytes (" + std::to_string(cfg.max_batch_bytes) + ")");
    batch_.append(line);
    batch_ += '\n';
    ++batch_lines_;
  }
  inbox_.erase(0, pos);
  if (inbox_.size() > cfg.max_line_bytes)  // what is left is one unfinished line
    return protocol_error("line " + std::to_string(line_no_ + 1) + " is longer than max_line_bytes (" +
                          std::to_string(cfg.max_line_bytes) + ")");
  read();
}

void TcpConnection::read() {
  state_ = State::reading;
  stream_.expires_after(milliseconds(ctx_->config.idle_timeout_ms));
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
  std::string meta = nlohmann::json{{"peer", peer_}, {"transport", "tcp"}}.dump();
  // The host may block (durable write); run it off the I/O threads.
  asio::post(ctx_->submit_executor, [self = shared_from_this(), payload, batch_id, lines, meta = std::move(meta)] {
    Ack ack;
    try {
      Verdict verdict;
      self->ctx_->host.submit(NEBULA_FORMAT_NDJSON, *payload, meta, verdict);
      ack = ack_from_verdict(batch_id, verdict, self->ctx_->config.default_retry_ms);
    } catch (const std::exception& e) {
      ack = error_ack(batch_id, std::string("submission failed: ") + e.what());
      ack.status = AckStatus::retry;
      ack.retry_after_ms = self->ctx_->config.default_retry_ms;
    }
    self->ctx_->host.count(std::string("batches_") + to_string(ack.status));
    self->ctx_->host.count("lines_received", static_cast<double>(lines));
    const uint32_t pause = ack.status == AckStatus::retry ? ack.retry_after_ms : 0;
    asio::post(self->stream_.get_executor(), [self, ack = std::move(ack), pause] { self->write_ack(ack, pause); });
  });
}

void TcpConnection::write_ack(const Ack& ack, uint32_t pause_ms) {
  state_ = State::writing;
  outgoing_ = std::make_shared<std::string>(to_line(ack) + "\n");
  stream_.expires_after(milliseconds(ctx_->config.idle_timeout_ms));
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

void TcpConnection::protocol_error(const std::string& message) {
  state_ = State::writing;
  stopping_ = true;
  ctx_->host.count("protocol_errors");
  ctx_->host.warn("tcp transport: closing " + peer_ + ": " + message);
  outgoing_ = std::make_shared<std::string>(to_line(error_ack(nullptr, message)) + "\n");
  stream_.expires_after(milliseconds(ctx_->config.idle_timeout_ms));
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
  stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  stream_.close();
}

// The sender may still be sending; closing with unread bytes would reset the
// connection and could destroy our error ack before it is read. Stop sending,
// drain for a bounded time, then close.
void TcpConnection::linger_close() {
  state_ = State::closing;
  boost::system::error_code ignored;
  stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
  stream_.expires_after(kLingerTime);
  struct Drain {
    std::shared_ptr<TcpConnection> self;
    void operator()(beast::error_code ec, size_t) {
      if (ec) return self->stream_.close();
      self->stream_.async_read_some(asio::buffer(self->chunk_), std::move(*this));
    }
  };
  stream_.async_read_some(asio::buffer(chunk_), Drain{shared_from_this()});
}

}  // namespace nebula::transport::tcp
