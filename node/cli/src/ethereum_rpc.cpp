#include "ethereum_rpc.hpp"

#include <stdexcept>

namespace nebula::node::collect::ethereum {

namespace {

using Clock = std::chrono::steady_clock;
constexpr int kMethodNotFound = -32601;

// A 4xx answer to one method while others work: a proxy or node that does
// not allow it. 408 and 429 are about timing, not the method.
bool refuses_method(unsigned status) { return status >= 400 && status < 500 && status != 408 && status != 429; }

}  // namespace

double hex_quantity(const nlohmann::json& v) {
  if (!v.is_string()) throw std::invalid_argument("expected a hex quantity, got " + v.dump());
  const auto& s = v.get_ref<const std::string&>();
  if (s.size() < 3 || s[0] != '0' || (s[1] != 'x' && s[1] != 'X'))
    throw std::invalid_argument("expected a 0x-prefixed hex quantity, got \"" + s + "\"");
  double out = 0;
  for (size_t i = 2; i < s.size(); ++i) {
    const char c = s[i];
    int digit = 0;
    if (c >= '0' && c <= '9') digit = c - '0';
    else if (c >= 'a' && c <= 'f') digit = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F') digit = c - 'A' + 10;
    else throw std::invalid_argument("not a hex quantity: \"" + s + "\"");
    out = out * 16 + digit;
  }
  return out;
}

int64_t hex_integer(const nlohmann::json& v) {
  const double d = hex_quantity(v);
  if (d > 9007199254740992.0) throw std::invalid_argument("quantity too large for an integer: " + v.dump());
  return static_cast<int64_t>(d);
}

RpcClient::RpcClient(collect::HttpUrl url, std::chrono::milliseconds timeout, Log log)
    : url_(std::move(url)), timeout_(timeout), log_(std::move(log)) {}

void RpcClient::unsupported(std::string_view method, const std::string& why) {
  unsupported_.emplace(method);
  log_(std::string(method) + " is not offered by " + collect::url_text(url_) + " (" + why +
       "): skipped from now on");
}

void RpcClient::failed(std::string_view method, const std::string& why) {
  const std::string message = std::string(method) + " failed: " + why;
  if (message != last_failure_) log_(message);
  last_failure_ = message;
}

std::optional<nlohmann::json> RpcClient::call(std::string_view method, const nlohmann::json& params) {
  if (!offered(method)) return std::nullopt;
  const nlohmann::json request = {{"jsonrpc", "2.0"}, {"id", next_id_++}, {"method", method}, {"params", params}};
  collect::HttpReply reply;
  const auto start = Clock::now();
  try {
    reply = collect::http_post(url_, request.dump(), "application/json", timeout_);
  } catch (const std::exception& e) {
    failed(method, e.what());
    return std::nullopt;
  }
  const double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  if (refuses_method(reply.status)) {
    unsupported(method, "HTTP " + std::to_string(reply.status));
    return std::nullopt;
  }
  const auto answer = nlohmann::json::parse(reply.body, nullptr, false);
  if (reply.status != 200 && !(answer.is_object() && answer.contains("error"))) {
    failed(method, "HTTP " + std::to_string(reply.status));
    return std::nullopt;
  }
  // The node answered: the round trip is its RPC latency, error or not.
  latency_sum_ms_ += ms;
  ++latency_calls_;
  if (!answer.is_object()) {
    failed(method, "the answer is not a JSON-RPC object: " + reply.body.substr(0, 200));
    return std::nullopt;
  }
  if (const auto err = answer.find("error"); err != answer.end() && !err->is_null()) {
    const int code = err->is_object() ? err->value("code", 0) : 0;
    const std::string text = err->is_object() ? err->value("message", err->dump()) : err->dump();
    if (code == kMethodNotFound) unsupported(method, "error " + std::to_string(code) + ": " + text);
    else failed(method, "error " + std::to_string(code) + ": " + text);
    return std::nullopt;
  }
  if (!answer.contains("result")) {
    failed(method, "the answer has neither result nor error");
    return std::nullopt;
  }
  if (!last_failure_.empty()) log_(std::string(method) + " answers again");
  last_failure_.clear();
  return answer["result"];
}

std::optional<double> RpcClient::take_latency_ms() {
  if (latency_calls_ == 0) return std::nullopt;
  const double mean = latency_sum_ms_ / latency_calls_;
  latency_sum_ms_ = 0;
  latency_calls_ = 0;
  return mean;
}

}  // namespace nebula::node::collect::ethereum
