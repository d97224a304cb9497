#include "http/security/blocking_connect.hpp"

#include <boost/asio/ip/tcp.hpp>

namespace nebula::security {
namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

void run(asio::io_context& ioc) {
  ioc.restart();
  ioc.run();
}

}  // namespace

std::string connect_blocking(asio::io_context& ioc, std::optional<Stream>& stream, const ConnectTarget& to) {
  const std::string where = to.host + ":" + to.port;
  boost::system::error_code ec;
  tcp::resolver resolver(ioc);
  auto results = resolver.resolve(to.host, to.port, ec);
  if (ec) return "cannot connect to " + where + ": " + ec.message();
  stream.emplace(ioc.get_executor());
  stream->tcp().expires_after(to.timeout);  // covers the handshake too
  stream->tcp().async_connect(results, [&ec](boost::system::error_code e, const tcp::endpoint&) { ec = e; });
  run(ioc);
  if (ec) {
    stream.reset();
    return "cannot connect to " + where + ": " + ec.message();
  }
  if (to.tls) {
    stream->use_tls(*to.tls);
    stream->expect_server_name(to.server_name);
    stream->async_handshake(asio::ssl::stream_base::client, [&ec](boost::system::error_code e) { ec = e; });
    run(ioc);
    if (ec) {
      boost::system::error_code ignored;
      stream->tcp().socket().close(ignored);
      stream.reset();
      return "TLS handshake with " + where + " failed: " + ec.message();
    }
  }
  stream->tcp().socket().set_option(tcp::no_delay(true), ec);
  return {};
}

}  // namespace nebula::security
