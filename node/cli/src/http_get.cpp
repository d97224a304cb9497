#include "http_get.hpp"

#include <stdexcept>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

namespace nebula::node::collect {

namespace beast = boost::beast;
namespace http = boost::beast::http;
using boost::asio::ip::tcp;

HttpUrl parse_http_url(std::string_view url, std::string_view default_target) {
  constexpr std::string_view scheme = "http://";
  if (url.substr(0, scheme.size()) != scheme)
    throw std::invalid_argument("'" + std::string(url) + "': only http:// URLs can be scraped");
  std::string_view rest = url.substr(scheme.size());
  HttpUrl out;
  out.target = std::string(default_target);
  const auto slash = rest.find('/');
  if (slash != std::string_view::npos) {
    out.target = std::string(rest.substr(slash));
    rest = rest.substr(0, slash);
  }
  if (!rest.empty() && rest.front() == '[') {  // [v6]:port
    const auto close = rest.find(']');
    if (close == std::string_view::npos) throw std::invalid_argument("'" + std::string(url) + "': unclosed [");
    out.host = std::string(rest.substr(1, close - 1));
    rest.remove_prefix(close + 1);
    if (!rest.empty() && rest.front() == ':') out.port = std::string(rest.substr(1));
  } else {
    const auto colon = rest.rfind(':');
    out.host = std::string(rest.substr(0, colon));
    if (colon != std::string_view::npos) out.port = std::string(rest.substr(colon + 1));
  }
  if (out.host.empty() || out.port.empty()) throw std::invalid_argument("'" + std::string(url) + "': no host or port");
  return out;
}

namespace {

// One request/response; one deadline covers resolve, connect, write and read.
// Throws std::runtime_error on a transport failure; any status is returned.
HttpReply exchange(http::verb verb, const HttpUrl& url, std::string_view body, std::string_view content_type,
                   std::string_view accept, std::chrono::milliseconds timeout) {
  boost::asio::io_context ioc;
  tcp::resolver resolver(ioc);
  beast::tcp_stream stream(ioc);
  beast::error_code result;
  beast::flat_buffer buffer;
  http::request<http::string_body> req{verb, url.target, 11};
  req.set(http::field::host, url.host + ":" + url.port);
  req.set(http::field::user_agent, "nebula-node");
  req.set(http::field::accept, std::string(accept));
  if (verb == http::verb::post) {
    req.set(http::field::content_type, std::string(content_type));
    req.body() = std::string(body);
    req.prepare_payload();
  }
  http::response<http::string_body> res;

  stream.expires_after(timeout);
  resolver.async_resolve(url.host, url.port, [&](beast::error_code ec, tcp::resolver::results_type results) {
    if (ec) {
      result = ec;
      return;
    }
    stream.async_connect(results, [&](beast::error_code ec2, const tcp::endpoint&) {
      if (ec2) {
        result = ec2;
        return;
      }
      http::async_write(stream, req, [&](beast::error_code ec3, std::size_t) {
        if (ec3) {
          result = ec3;
          return;
        }
        http::async_read(stream, buffer, res, [&](beast::error_code ec4, std::size_t) { result = ec4; });
      });
    });
  });
  ioc.run();
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  if (result)
    throw std::runtime_error(std::string(http::to_string(verb)) + " " + url_text(url) + ": " + result.message());
  return {res.result_int(), std::move(res.body())};
}

}  // namespace

std::string url_text(const HttpUrl& url) { return "http://" + url.host + ":" + url.port + url.target; }

std::string http_get(const HttpUrl& url, std::chrono::milliseconds timeout) {
  HttpReply reply = exchange(http::verb::get, url, {}, {}, "text/plain", timeout);
  if (reply.status != 200) throw std::runtime_error("GET " + url_text(url) + ": HTTP " + std::to_string(reply.status));
  return std::move(reply.body);
}

HttpReply http_post(const HttpUrl& url, std::string_view body, std::string_view content_type,
                    std::chrono::milliseconds timeout) {
  return exchange(http::verb::post, url, body, content_type, content_type, timeout);
}

}  // namespace nebula::node::collect
