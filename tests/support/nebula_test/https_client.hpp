// A tiny blocking HTTPS/1.1 client (Boost.Beast + OpenSSL) for tests, with
// the trust anchor and client certificate chosen per call. Runs under a
// 10 s deadline, so a server bug fails the test instead of hanging it.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include "nebula_test/http_client.hpp"

namespace nebula_test {

struct TlsClient {
  std::string ca;    // trust anchor ("" = trust nothing)
  std::string cert;  // client certificate ("" = none)
  std::string key;
};

// The answer, or nullopt when the connection, the handshake or the exchange
// failed (then `error` says why).
inline std::optional<HttpResult> https_request(unsigned short port, const std::string& method,
                                               const std::string& target, const TlsClient& tls,
                                               const std::map<std::string, std::string>& headers = {},
                                               std::string* error = nullptr) {
  namespace net = boost::asio;
  namespace beast = boost::beast;
  namespace http = beast::http;
  net::io_context io;
  net::ssl::context ctx(net::ssl::context::tls_client);
  ctx.set_verify_mode(net::ssl::verify_peer);
  if (!tls.ca.empty()) ctx.load_verify_file(tls.ca);
  if (!tls.cert.empty()) {
    ctx.use_certificate_chain_file(tls.cert);
    ctx.use_private_key_file(tls.key, net::ssl::context::pem);
  }
  beast::ssl_stream<beast::tcp_stream> stream(io, ctx);
  stream.set_verify_callback(net::ssl::host_name_verification("127.0.0.1"));
  http::request<http::string_body> req{http::string_to_verb(method), target, 11};
  req.set(http::field::host, "127.0.0.1");
  for (auto& [k, v] : headers) req.set(k, v);
  req.prepare_payload();
  beast::flat_buffer buffer;
  http::response<http::string_body> res;
  beast::error_code failure;
  bool done = false;
  auto finish = [&](beast::error_code ec) {
    failure = ec;
    done = true;
  };
  beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(10));
  beast::get_lowest_layer(stream).async_connect(
      net::ip::tcp::endpoint(net::ip::make_address("127.0.0.1"), port), [&](beast::error_code ec) {
        if (ec) return finish(ec);
        stream.async_handshake(net::ssl::stream_base::client, [&](beast::error_code ec) {
          if (ec) return finish(ec);
          http::async_write(stream, req, [&](beast::error_code ec, size_t) {
            if (ec) return finish(ec);
            http::async_read(stream, buffer, res, [&](beast::error_code ec, size_t) { finish(ec); });
          });
        });
      });
  io.run();
  if (!done || failure) {
    if (error) *error = done ? failure.message() : "no answer";
    return std::nullopt;
  }
  HttpResult out{static_cast<int>(res.result_int()), res.body(), {}};
  for (auto& f : res) out.headers[std::string(f.name_string())] = std::string(f.value());
  return out;
}

}  // namespace nebula_test
