// A JSON-RPC 2.0 client over HTTP POST for an Ethereum node, which remembers
// the methods the node does not offer (error -32601, or an HTTP 4xx answer)
// and never calls them again: each is skipped and logged once, and the rest
// of the collection goes on. Transient failures (connection refused,
// timeout, 5xx) are logged when they start and when they end, not every
// call. Every call's round trip is timed: the node's RPC latency.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "http_get.hpp"

namespace nebula::node::collect::ethereum {

// "0x1a" -> 26. Quantities can exceed 64 bits (wei), so the value is a
// double; throws std::invalid_argument on anything but 0x-prefixed hex.
double hex_quantity(const nlohmann::json& v);
int64_t hex_integer(const nlohmann::json& v);

class RpcClient {
 public:
  using Log = std::function<void(const std::string&)>;

  RpcClient(collect::HttpUrl url, std::chrono::milliseconds timeout, Log log);

  // The call's result; nullopt when the method is not offered (now or
  // earlier) or this call failed. A JSON `null` result is a result.
  std::optional<nlohmann::json> call(std::string_view method, const nlohmann::json& params = nlohmann::json::array());

  bool offered(std::string_view method) const { return !unsupported_.count(std::string(method)); }
  const std::set<std::string, std::less<>>& unsupported() const { return unsupported_; }

  // Mean round trip (ms) of the calls answered since the last take; nullopt
  // when none was.
  std::optional<double> take_latency_ms();

 private:
  void failed(std::string_view method, const std::string& why);
  void unsupported(std::string_view method, const std::string& why);

  collect::HttpUrl url_;
  std::chrono::milliseconds timeout_;
  Log log_;
  std::set<std::string, std::less<>> unsupported_;
  std::string last_failure_;  // logged once until a call succeeds again
  double latency_sum_ms_ = 0;
  int latency_calls_ = 0;
  int64_t next_id_ = 1;
};

}  // namespace nebula::node::collect::ethereum
