// Shared helpers for the node client tests: a temp dir, an RAII handle over
// the C API, and a base config pointing at the fake pool transport.
#pragma once

#include <chrono>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "fake_pool.hpp"
#include "nebula_node.h"

namespace nebula::node::testing {

using namespace std::chrono_literals;

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "nebula-node-test-XXXXXX").string();
    if (!::mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp");
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

class Node {
 public:
  explicit Node(const nlohmann::json& config) {
    char err[1024] = {0};
    handle_ = nebula_node_create(config.dump().c_str(), err, sizeof err);
    if (!handle_) throw std::runtime_error(err);
  }
  ~Node() { destroy(); }
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  nebula_node_result record(const nlohmann::json& r) { return nebula_node_record(handle_, r.dump().c_str()); }
  nebula_node_result flush(std::chrono::milliseconds t = 60s) {
    return nebula_node_flush(handle_, static_cast<uint64_t>(t.count()));
  }
  nlohmann::json stats() const {
    std::string buf(4096, '\0');
    const size_t n = nebula_node_stats(handle_, buf.data(), buf.size());
    buf.resize(n);
    return nlohmann::json::parse(buf);
  }
  void destroy() {
    nebula_node_destroy(handle_);
    handle_ = nullptr;
  }
  nebula_node* raw() const { return handle_; }

 private:
  nebula_node* handle_ = nullptr;
};

// The fake pool transport from this directory's plugin folder; short timers
// so the tests run quickly.
inline nlohmann::json base_config(const std::string& endpoint, const std::filesystem::path& spill) {
  return {{"node_id", "node-1"},
          {"node_type", "testnet"},
          {"chain_id", "testnet"},
          {"endpoints", {endpoint}},
          {"transport", "nebula.test.fake_pool"},
          {"plugin_dir", NODE_TEST_PLUGIN_DIR},
          {"spill_dir", spill.string()},
          {"batch_size", 50},
          {"flush_interval_ms", 20},
          {"backoff", {{"initial_ms", 2}, {"max_ms", 20}}},
          {"shutdown_timeout_ms", 5000},
          {"log_level", "error"}};
}

// Waits for a condition the library exposes only through stats (no callback
// exists for "a retry happened"); polls, never asserts on elapsed time.
template <class Pred>
bool eventually(Pred pred, std::chrono::milliseconds timeout = 30s) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!pred()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(2ms);
  }
  return true;
}

inline std::vector<std::int64_t> iota_seqs(std::int64_t from, std::int64_t to) {
  std::vector<std::int64_t> v;
  for (auto i = from; i < to; ++i) v.push_back(i);
  return v;
}

inline std::size_t count_lines(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::size_t n = 0;
  for (std::string line; std::getline(in, line);) ++n;
  return n;
}

}  // namespace nebula::node::testing
