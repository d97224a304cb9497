// RAII over the libnebula_node C API, for the CLI.
#pragma once

#include <chrono>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "log_setup.hpp"
#include "nebula_node.h"

namespace nebula::node::cli {

class NodeHandle {
 public:
  explicit NodeHandle(const nlohmann::json& config) {
    char err[2048] = {0};
    handle_ = nebula_node_create(config.dump().c_str(), err, sizeof err);
    if (!handle_) throw std::runtime_error(err);
    nebula_node_set_log_callback(handle_, &log_to_spdlog, nullptr);
  }
  ~NodeHandle() { nebula_node_destroy(handle_); }
  NodeHandle(const NodeHandle&) = delete;
  NodeHandle& operator=(const NodeHandle&) = delete;

  nebula_node_result record(const std::string& json) { return nebula_node_record(handle_, json.c_str()); }
  bool flush(std::chrono::milliseconds timeout) {
    return nebula_node_flush(handle_, static_cast<uint64_t>(timeout.count())) == NEBULA_NODE_OK;
  }
  std::uint64_t pending() const { return nebula_node_pending(handle_); }
  nlohmann::json stats() const {
    std::string buf(1024, '\0');
    size_t need = nebula_node_stats(handle_, buf.data(), buf.size());
    if (need >= buf.size()) {
      buf.assign(need + 1, '\0');
      need = nebula_node_stats(handle_, buf.data(), buf.size());
    }
    buf.resize(need);
    return nlohmann::json::parse(buf, nullptr, false);
  }

 private:
  nebula_node* handle_ = nullptr;
};

}  // namespace nebula::node::cli
