// One local Ethereum dev node for the real-chain test: Foundry's anvil
// (installed by scripts/install-anvil from npm; CMake passes its path as
// NEBULA_ANVIL_BIN), started on an ephemeral port on 127.0.0.1 and mining a
// block every `block_time_s` (0: a block per transaction), with JSON-RPC
// helpers for what the tests stage:
// transactions from the unlocked dev accounts and stopping the miner.
#pragma once

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "nebula_test/child_process.hpp"
#include "nebula_test/free_port.hpp"
#include "nebula_test/http_client.hpp"
#include "nebula_test/temp_dir.hpp"
#include "nebula_test/wait.hpp"

class AnvilNode {
 public:
  AnvilNode(const std::filesystem::path& dir, const std::string& name, int block_time_s) : name_(name) {
    // The port is free when picked, but another process may take it first: retry a few times.
    for (int attempt = 0; attempt < 5 && !process_; ++attempt) {
      port_ = nebula_test::free_port();
      std::vector<std::string> argv{NEBULA_ANVIL_BIN, "--host", "127.0.0.1", "--port", std::to_string(port_), "--silent"};
      if (block_time_s > 0) argv.insert(argv.end(), {"--block-time", std::to_string(block_time_s)});
      auto p = std::make_unique<nebula_test::ChildProcess>(argv, (dir / (name + ".anvil.log")).string());
      if (nebula_test::wait_until([&] { return !p->running() || answers(); }, std::chrono::seconds(20)) && p->running())
        process_ = std::move(p);
    }
    if (!process_) throw std::runtime_error("anvil " + name + " did not start (" NEBULA_ANVIL_BIN ")");
    accounts_ = rpc("eth_accounts").get<std::vector<std::string>>();
  }

  const std::string& name() const { return name_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

  // The result of one call; nullptr on a JSON-RPC error (message in `error`).
  nlohmann::json rpc(const std::string& method, nlohmann::json params = nlohmann::json::array(),
                     std::string* error = nullptr) const {
    const auto reply = post({{"jsonrpc", "2.0"}, {"id", 1}, {"method", method}, {"params", std::move(params)}});
    if (reply.contains("error")) {
      if (error) *error = reply["error"].dump();
      return nullptr;
    }
    return reply.value("result", nlohmann::json());
  }

  int64_t height() const { return std::stoll(rpc("eth_blockNumber").get<std::string>(), nullptr, 16); }

  // `count` value transfers from dev account `from` with this tip (wei),
  // in one JSON-RPC batch; returns how many the node refused, and the first
  // refusal's error in `*why` when it is still empty. Each carries its own
  // nonce, from the node's pending count: anvil answers a batch's requests
  // concurrently, and left to pick nonces itself it gives several the same
  // one ("transaction already imported"), so the load would not be the load
  // the test means.
  size_t send_transfers(size_t from, size_t count, uint64_t tip_wei, std::string* why = nullptr) const {
    uint64_t nonce = std::stoull(rpc("eth_getTransactionCount", {accounts_.at(from), "pending"}).get<std::string>(),
                                 nullptr, 16);
    nlohmann::json batch = nlohmann::json::array();
    for (size_t i = 0; i < count; ++i)
      batch.push_back({{"jsonrpc", "2.0"},
                       {"id", i},
                       {"method", "eth_sendTransaction"},
                       {"params",
                        {{{"from", accounts_.at(from)},
                          {"to", accounts_.back()},
                          {"value", "0x1"},
                          {"gas", "0x5208"},
                          {"nonce", hex(nonce++)},
                          {"maxPriorityFeePerGas", hex(tip_wei)},
                          {"maxFeePerGas", hex(tip_wei + 3'000'000'000ull)}}}}});
    size_t refused = 0;
    for (const auto& answer : post(batch)) {
      if (!answer.contains("error")) continue;
      if (why && why->empty()) *why = name_ + ": " + answer["error"].dump();
      ++refused;
    }
    return refused;
  }

  // What the node holds and mined last, for a failure's message: "pending P
  // queued Q, block N: T txs" (txpool_status and the latest block). Only a
  // diagnostic: an answer it cannot read is said, never thrown.
  std::string pool_status() const {
    const auto count = [](const nlohmann::json& v) {
      return v.is_string() ? std::to_string(std::stoull(v.get<std::string>(), nullptr, 16)) : v.dump();
    };
    std::string error;
    const auto pool = rpc("txpool_status", nlohmann::json::array(), &error);
    const auto block = rpc("eth_getBlockByNumber", {"latest", false}, &error);
    if (!pool.is_object() || !block.is_object()) return "unreadable (" + error + ")";
    return "pending " + count(pool.value("pending", nlohmann::json())) + " queued " +
           count(pool.value("queued", nlohmann::json())) + ", block " + count(block.value("number", nlohmann::json())) +
           ": " + std::to_string(block.value("transactions", nlohmann::json::array()).size()) + " txs";
  }

  // Stops the miner: the node's chain halts where it is (a stall).
  void stop_mining() const {
    rpc("evm_setIntervalMining", {0});
    rpc("evm_setAutomine", {false});
  }

 private:
  static std::string hex(uint64_t v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
    return buf;
  }

  nlohmann::json post(const nlohmann::json& body) const {
    const auto r = nebula_test::http_request("127.0.0.1", port_, "POST", "/", body.dump());
    if (r.status != 200) throw std::runtime_error("anvil " + name_ + ": HTTP " + std::to_string(r.status) + " " + r.body);
    return nlohmann::json::parse(r.body);
  }

  bool answers() const {
    try {
      return !post({{"jsonrpc", "2.0"}, {"id", 1}, {"method", "eth_blockNumber"}, {"params", nlohmann::json::array()}})
                  .contains("error");
    } catch (const std::exception&) {
      return false;
    }
  }

  std::string name_;
  unsigned short port_ = 0;
  std::unique_ptr<nebula_test::ChildProcess> process_;
  std::vector<std::string> accounts_;
};
