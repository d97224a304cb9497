// Server-sent events on an HttpSession: once a handler answers with
// Response::events, the session writes a text/event-stream header, then each
// event the producer pushes, in order, until the client hangs up, reads too
// slowly, or the server stops. The body ends with the connection (no
// Content-Length), which every EventSource client expects.
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <atomic>
#include <chrono>

#include "http/http_session.hpp"

namespace nebula::http::detail {

namespace net = boost::asio;
namespace beast = boost::beast;

namespace {
constexpr std::chrono::seconds kHeartbeat{15};
}  // namespace

// What the producer holds: pushes hop onto the session's strand.
class SessionFeed : public EventFeed {
 public:
  explicit SessionFeed(std::weak_ptr<HttpSession> session) : session_(std::move(session)) {}

  bool push(std::string event) override {
    if (closed_) return false;
    if (pending_.fetch_add(1) >= kMaxPendingEvents) {
      closed_ = true;  // a client this far behind is cut off; it reconnects
      if (auto s = session_.lock())
        net::post(s->stream_.get_executor(), [s] { s->close_now(); });
      return false;
    }
    auto s = session_.lock();
    if (!s) return false;
    net::post(s->stream_.get_executor(), [s, e = std::move(event)]() mutable { s->queue_event(std::move(e)); });
    return true;
  }

  std::atomic<bool> closed_{false};
  std::atomic<size_t> pending_{0};  // pushed, not yet written

 private:
  std::weak_ptr<HttpSession> session_;
};

void HttpSession::start_events(Response response) {
  std::string header = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\n"
                       "Cache-Control: no-cache\r\nConnection: close\r\nX-Accel-Buffering: no\r\n";
  for (auto& [name, value] : response.headers) header += name + ": " + value + "\r\n";
  header += "\r\n";
  feed_ = std::make_shared<SessionFeed>(weak_from_this());
  stream_.tcp().expires_never();  // quiet periods are normal; the heartbeat finds dead peers
  events_.push_back(std::move(header));
  ++feed_->pending_;
  write_next_event();
  watch_for_hangup();
  arm_heartbeat();
  response.events(feed_);
}

void HttpSession::queue_event(std::string event) {
  if (phase_ == Phase::Closed) return;
  events_.push_back(std::move(event));
  if (events_.size() == 1) write_next_event();
}

void HttpSession::write_next_event() {
  net::async_write(stream_, net::buffer(events_.front()), [self = shared_from_this()](beast::error_code ec, size_t) {
    if (ec) return self->close_now();
    self->events_.pop_front();
    if (self->feed_) --self->feed_->pending_;
    if (!self->events_.empty()) self->write_next_event();
  });
}

void HttpSession::watch_for_hangup() {
  // An event-stream client sends nothing more: any read completion is the end.
  stream_.async_read_some(net::buffer(drain_buffer_), [self = shared_from_this()](beast::error_code ec, size_t) {
    if (ec || self->stopping_) return self->close_now();
    self->watch_for_hangup();
  });
}

void HttpSession::arm_heartbeat() {
  if (!heartbeat_) heartbeat_.emplace(stream_.get_executor());
  heartbeat_->expires_after(kHeartbeat);
  heartbeat_->async_wait([self = shared_from_this()](beast::error_code ec) {
    if (ec || self->phase_ == Phase::Closed) return;
    ++self->feed_->pending_;
    self->queue_event(": keep-alive\n\n");
    self->arm_heartbeat();
  });
}

void HttpSession::end_events() {
  if (!feed_) return;
  feed_->closed_ = true;
  if (heartbeat_) heartbeat_->cancel();
}

}  // namespace nebula::http::detail
