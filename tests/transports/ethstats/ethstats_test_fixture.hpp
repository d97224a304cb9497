// Fixture for the ethstats transport tests: the real plugin module against
// the SDK's mock host, and a WebSocket client that sends what geth's
// ethstats client sends (go-ethereum ethstats/ethstats.go: login, report*,
// readLoop), and can misbehave on the wire.
#pragma once

#include <chrono>
#include <fstream>
#include <optional>
#include <string>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <gtest/gtest.h>

#include "transport_test_support.hpp"

namespace nebula::transport_test {

namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;
using boost::asio::ip::tcp;
using json = nlohmann::json;

// --- the frames geth sends -------------------------------------------------
inline json emit(const std::string& name, json body) { return {{"emit", json::array({name, std::move(body)})}}; }

inline json geth_hello(const std::string& id, const std::string& secret, const std::string& net = "1337") {
  return emit("hello", {{"id", id},
                        {"info", {{"name", id}, {"node", "Geth/v1.14.11-stable/linux-amd64/go1.22.8"}, {"port", 30303},
                                  {"net", net}, {"protocol", "eth/68"}, {"api", "No"}, {"os", "linux"},
                                  {"os_v", "amd64"}, {"client", "0.1.1"}, {"canUpdateHistory", true}}},
                        {"secret", secret}});
}

inline std::string block_hash(int64_t number, const std::string& fork = "") {
  std::string h = "0x" + fork + std::to_string(number);
  h.resize(66, 'a');
  return h;
}

inline json geth_block_stats(int64_t number, int64_t timestamp, int transactions, const std::string& fork = "") {
  json txs = json::array();
  for (int i = 0; i < transactions; ++i) txs.push_back({{"hash", block_hash(number * 1000 + i, "f")}});
  return {{"number", number},
          {"hash", block_hash(number, fork)},
          {"parentHash", block_hash(number - 1, fork)},
          {"timestamp", timestamp},
          {"miner", "0x0000000000000000000000000000000000000000"},
          {"gasUsed", 21000 * transactions},
          {"gasLimit", 30000000},
          {"difficulty", "0"},
          {"totalDifficulty", "1"},
          {"transactions", txs},
          {"transactionsRoot", block_hash(0, "e")},
          {"stateRoot", block_hash(0, "d")},
          {"uncles", json::array()}};
}

inline json geth_block(const std::string& id, int64_t number, int64_t timestamp, int transactions,
                       const std::string& fork = "") {
  return emit("block", {{"id", id}, {"block", geth_block_stats(number, timestamp, transactions, fork)}});
}
inline json geth_pending(const std::string& id, int pending) {
  return emit("pending", {{"id", id}, {"stats", {{"pending", pending}}}});
}
inline json geth_stats(const std::string& id, int peers, int64_t gas_price, bool mining = false) {
  return emit("stats", {{"id", id},
                        {"stats", {{"active", true}, {"syncing", false}, {"mining", mining}, {"hashrate", 0},
                                   {"peers", peers}, {"gasPrice", gas_price}, {"uptime", 100}}}});
}
// geth sends time.Now().String() and, later, the half round trip in ms as a string.
inline json geth_ping(const std::string& id, const std::string& client_time) {
  return emit("node-ping", {{"id", id}, {"clientTime", client_time}});
}
inline json geth_latency(const std::string& id, const std::string& ms) {
  return emit("latency", {{"id", id}, {"latency", ms}});
}

// A WebSocket client whose reads give up after 10 s, so a bug shows as a
// failed expectation rather than a hung test.
class EthstatsClient {
 public:
  explicit EthstatsClient(uint16_t port, const std::string& path = "/api") : ws_(ioc_) {
    beast::get_lowest_layer(ws_).connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port));
    ws_.set_option(websocket::stream_base::decorator(
        [](websocket::request_type& req) { req.set(beast::http::field::origin, "http://localhost"); }));
    ws_.handshake("127.0.0.1:" + std::to_string(port), path);
  }

  void send(const json& message) { send_text(message.dump()); }
  void send_text(const std::string& text) {
    ws_.text(true);
    ws_.write(boost::asio::buffer(text));
  }
  void send_binary(const std::string& bytes) {
    ws_.binary(true);
    ws_.write(boost::asio::buffer(bytes));
  }

  // The next text frame; nullopt once the server closed (see close_code()) or after 10 s.
  std::optional<std::string> read() {
    beast::flat_buffer buffer;
    beast::error_code result = boost::asio::error::timed_out;
    bool done = false;
    beast::get_lowest_layer(ws_).expires_after(std::chrono::seconds(10));
    ws_.async_read(buffer, [&](beast::error_code ec, size_t) {
      result = ec;
      done = true;
    });
    ioc_.restart();
    ioc_.run();
    if (!done || result) return std::nullopt;
    return beast::buffers_to_string(buffer.data());
  }
  json read_json() {
    auto text = read();
    if (!text) throw std::runtime_error("no frame from the server (closed: " + std::to_string(close_code()) + " " +
                                        close_reason() + ")");
    return json::parse(*text);
  }
  // Reads until the server closes; true when it did within the timeout.
  bool closed_by_server() {
    for (int i = 0; i < 100; ++i)
      if (!read()) return ws_.reason().code != websocket::close_code::none || !ws_.is_open();
    return false;
  }
  uint16_t close_code() const { return static_cast<uint16_t>(ws_.reason().code); }
  std::string close_reason() const { return std::string(ws_.reason().reason.data(), ws_.reason().reason.size()); }

  // Hello, then the server's {"emit":["ready"]} (geth's login()).
  void login(const std::string& id, const std::string& secret) {
    send(geth_hello(id, secret));
    auto ready = read_json();
    if (ready != json{{"emit", json::array({"ready"})}}) throw std::runtime_error("not ready: " + ready.dump());
  }

  // Writes the start of a masked text frame announcing 100 bytes but only
  // 10 of them, then drops the TCP connection: a node dying mid-message.
  void die_mid_frame() {
    std::string raw = {'\x81', static_cast<char>(0x80 | 100), 1, 2, 3, 4};
    raw += "{\"emit\":[\"";
    boost::asio::write(beast::get_lowest_layer(ws_).socket(), boost::asio::buffer(raw));
    beast::get_lowest_layer(ws_).socket().close();
  }

 private:
  boost::asio::io_context ioc_;
  websocket::stream<beast::tcp_stream> ws_;
};

class EthstatsTransportTest : public ::testing::Test {
 protected:
  static constexpr const char* kNode = "geth-1";
  static constexpr const char* kSecret = "s3cret-token";

  const nebula_plugin_descriptor* descriptor() const {
    return library("nebula_transport_ethstats").find("nebula.transport.ethstats");
  }

  // Accepts every record line, as a host with room would.
  void accept_all() {
    host_.on_submit([this](const std::string& fmt, const std::string& payload, const std::string& meta,
                           nebula_verdict* out) {
      log_.add(fmt, payload, meta);
      VerdictSpec v;
      v.accepted = static_cast<uint32_t>(lines_of(payload).size());
      v.http_status = 200;
      return fill_verdict(out, v);
    });
  }

  // A config with a tokens file for kNode (and "geth-2"), chain from the network id.
  json config_with_tokens(json extra = json::object()) {
    std::ofstream(dir_.path() / "tokens.yaml") << kNode << ": " << kSecret << "\ngeth-2: other-token\n";
    json cfg = {{"port", 0}, {"tokens_file", (dir_.path() / "tokens.yaml").string()},
                {"networks", {{"1337", "dev-chain"}}}};
    for (auto it = extra.begin(); it != extra.end(); ++it) cfg[it.key()] = it.value();
    return cfg;
  }

  ServerUnderTest& start_server(json config) {
    if (!config.contains("port")) config["port"] = 0;
    server_ = std::make_unique<ServerUnderTest>(host_, descriptor(), config);
    server_->start();
    return *server_;
  }
  uint16_t port() const { return server_->port(); }
  int connections() const { return server_->describe()["connections"].get<int>(); }

  // Every record line the host received, in order.
  std::vector<json> records() const {
    std::vector<json> out;
    for (const auto& sub : log_.all())
      for (const auto& line : lines_of(sub.payload)) out.push_back(json::parse(line));
    return out;
  }
  size_t record_count() const { return records().size(); }

  TempDir dir_;
  testing::MockHost host_{dir_.path() / "state"};
  SubmissionLog log_;
  std::unique_ptr<ServerUnderTest> server_;  // declared last: stops before the host goes
};

}  // namespace nebula::transport_test
