// The non-template pieces of ethstats_session.hpp.
#include <chrono>

#include <nlohmann/json.hpp>

#include "ethstats_session.hpp"

namespace nebula::transport::ethstats {

std::string peer_of(const boost::asio::ip::tcp::socket& socket) {
  boost::system::error_code ec;
  auto ep = socket.remote_endpoint(ec);
  if (ec) return "unknown";
  auto addr = ep.address();
  return (addr.is_v6() ? "[" + addr.to_string() + "]" : addr.to_string()) + ":" + std::to_string(ep.port());
}

double wall_clock_now() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

boost::beast::http::response<boost::beast::http::string_body> refusal(unsigned status, const std::string& error,
                                                                      bool keep_alive) {
  namespace http = boost::beast::http;
  http::response<http::string_body> res{static_cast<http::status>(status), 11};
  res.set(http::field::content_type, "application/json");
  if (status == 503) res.set(http::field::retry_after, "1");
  if (status == 426) res.set(http::field::upgrade, "websocket");
  res.keep_alive(keep_alive);
  res.body() = nlohmann::json{{"status", "error"}, {"error", error}}.dump();
  res.prepare_payload();
  return res;
}

}  // namespace nebula::transport::ethstats
