#include "http/http_server.hpp"

#include <algorithm>
#include <atomic>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "http/http_session.hpp"
#include "http/listener.hpp"
#include "http/router.hpp"
#include "http/security/tls_context.hpp"
#include "http/session_registry.hpp"

namespace nebula::http {

namespace net = boost::asio;

namespace {
// Which server's I/O thread we are on, to refuse a stop() that would join itself.
thread_local const void* serving_server = nullptr;
}  // namespace

struct Server::Impl {
  explicit Impl(ServerOptions o) : options(std::move(o)) {}

  void accept(net::ip::tcp::socket socket) {
    const detail::SessionLimits limits{options.body_limit, options.idle_timeout_seconds};
    auto session = std::make_shared<detail::HttpSession>(std::move(socket), detail::SessionSetup{router, options.guard, tls},
                                                         limits, sessions);
    if (sessions.add(session)) session->run();
  }

  void run_io() {
    serving_server = this;
    for (;;) {
      try {
        io->run();
        return;
      } catch (...) {
        // Handlers catch their own errors; anything else that escapes (e.g.
        // bad_alloc) must not terminate the process. Keep serving.
      }
    }
  }

  const ServerOptions options;
  detail::Router router;
  detail::SessionRegistry sessions;
  security::TlsContext tls;  // set by start() when options.tls is enabled

  std::mutex lifecycle_mu;  // serialises start() and stop()
  std::unique_ptr<net::io_context> io;
  std::shared_ptr<detail::Listener> listener;
  std::vector<std::thread> threads;
  std::atomic<uint16_t> port{0};
};

Server::Server(ServerOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}

Server::~Server() { stop(); }

void Server::route(const std::string& method, const std::string& pattern, Handler handler) {
  impl_->router.add(method, pattern, std::move(handler));
}

void Server::start() {
  std::lock_guard lock(impl_->lifecycle_mu);
  if (impl_->io) throw std::logic_error("http server already started");

  // Files are read at every start, so a restart picks up renewed certificates.
  impl_->tls = impl_->options.tls.enabled() ? security::make_server_context(impl_->options.tls) : nullptr;
  const size_t thread_count = std::max<size_t>(1, impl_->options.threads);
  auto io = std::make_unique<net::io_context>(static_cast<int>(thread_count));
  auto listener = std::make_shared<detail::Listener>(
      *io, impl_->options.address, impl_->options.port,
      [impl = impl_.get()](net::ip::tcp::socket socket) { impl->accept(std::move(socket)); });

  impl_->sessions.reopen();
  impl_->io = std::move(io);
  impl_->listener = std::move(listener);
  impl_->port = impl_->listener->port();
  impl_->listener->start();
  for (size_t i = 0; i < thread_count; ++i) impl_->threads.emplace_back([impl = impl_.get()] { impl->run_io(); });
}

void Server::stop() {
  if (serving_server == impl_.get())
    throw std::logic_error("http server stop() called from its own handler; post it to another thread");
  std::lock_guard lock(impl_->lifecycle_mu);
  if (!impl_->io) return;

  impl_->listener->close();
  impl_->sessions.close_all();
  // Idle connections close at once; answers being written get the grace period.
  impl_->sessions.wait_until_empty(std::chrono::seconds(impl_->options.stop_grace_seconds));
  // Whatever is still open is cut: pending handlers are dropped with the context.
  impl_->io->stop();
  for (auto& thread : impl_->threads) thread.join();
  impl_->threads.clear();
  impl_->listener.reset();
  impl_->io.reset();
}

uint16_t Server::port() const { return impl_->port; }

}  // namespace nebula::http
