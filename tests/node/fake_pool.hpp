// The pool the fake_pool transport's client talks to, run inside the test on
// 127.0.0.1 (ephemeral port). Tests script it: take it down and bring it back
// on the same port, hold answers behind a gate, answer retry/invalid, and
// then check what was accepted, per node and in order.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

namespace nebula::node::testing {

struct Reply {
  std::string status = "ok";  // ok | retry | invalid
  std::uint32_t rejected = 0;
  std::uint32_t retry_after_ms = 0;
  std::string message;

  static Reply ok() { return {}; }
  static Reply retry(std::uint32_t after_ms) { return {"retry", 0, after_ms, "pool full"}; }
  static Reply invalid(std::uint32_t rejected) { return {"invalid", rejected, 0, "bad record"}; }
};

struct Arrival {
  nlohmann::json batch;
  std::chrono::steady_clock::time_point at;
};

class FakePool {
 public:
  using Handler = std::function<Reply(const nlohmann::json& batch)>;

  FakePool();  // listening
  ~FakePool();
  FakePool(const FakePool&) = delete;
  FakePool& operator=(const FakePool&) = delete;

  std::string endpoint() const;  // "fake://127.0.0.1:<port>"
  std::uint16_t port() const { return port_; }

  // Pool down: refuses connections and drops open ones. Then back, same port.
  void stop_listening();
  void start_listening();

  void on_batch(Handler handler);
  // While the gate is closed a batch is read but its answer is held.
  void close_gate();
  void open_gate();
  bool wait_held(std::size_t n, std::chrono::milliseconds timeout);

  // Every batch that reached the pool (whatever the answer), in arrival order.
  std::vector<Arrival> arrivals() const;
  // seqs of records answered "ok", per node, in the order accepted.
  std::map<std::string, std::vector<std::int64_t>> accepted_seqs() const;
  std::size_t accepted_records() const;
  bool wait_accepted(std::size_t records, std::chrono::milliseconds timeout);
  // Most batches of one node the pool ever had in hand at once (must stay 1).
  int max_in_hand_per_node() const;

 private:
  void listen_on(std::uint16_t port);
  void accept_loop(int listen_fd);
  void serve(int fd);
  Reply handle(const nlohmann::json& batch);

  std::uint16_t port_ = 0;
  int listen_fd_ = -1;
  int wake_[2] = {-1, -1};  // wakes the accept loop on stop_listening
  std::thread acceptor_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  Handler handler_;
  bool gate_open_ = true;
  bool shutting_down_ = false;
  std::size_t held_ = 0;
  std::vector<int> connections_;
  std::vector<std::thread> servers_;
  std::vector<Arrival> arrivals_;
  std::map<std::string, std::vector<std::int64_t>> accepted_;
  std::size_t accepted_records_ = 0;
  std::map<std::string, int> in_hand_;
  int max_in_hand_ = 0;
};

}  // namespace nebula::node::testing
