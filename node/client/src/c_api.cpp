// The C boundary: every entry point is noexcept in effect (exceptions become
// result codes or an error text), so no C++ exception reaches a C caller.
#include <cstring>
#include <exception>
#include <string>

#include "nebula_node.h"
#include "node_client.hpp"

struct nebula_node {
  explicit nebula_node(nebula::node::NodeConfig config) : client(std::move(config)) {}
  nebula::node::NodeClient client;
};

namespace {
void write_text(char* buf, size_t cap, const std::string& text) {
  if (!buf || cap == 0) return;
  const size_t n = text.size() < cap - 1 ? text.size() : cap - 1;
  std::memcpy(buf, text.data(), n);
  buf[n] = '\0';
}
}  // namespace

extern "C" {

nebula_node* nebula_node_create(const char* config_json, char* err, size_t cap) {
  try {
    return new nebula_node(nebula::node::parse_node_config(config_json ? config_json : ""));
  } catch (const std::exception& e) {
    write_text(err, cap, e.what());
  } catch (...) {
    write_text(err, cap, "unknown error");
  }
  return nullptr;
}

nebula_node_result nebula_node_record(nebula_node* node, const char* record_json) {
  if (!node || !record_json) return NEBULA_NODE_INVALID;
  try {
    node->client.record(record_json);
    return NEBULA_NODE_OK;
  } catch (const std::invalid_argument& e) {
    node->client.logger().debug(std::string("record refused: ") + e.what());
    return NEBULA_NODE_INVALID;
  } catch (...) {
    return NEBULA_NODE_INTERNAL;
  }
}

nebula_node_result nebula_node_flush(nebula_node* node, uint64_t timeout_ms) {
  if (!node) return NEBULA_NODE_INVALID;
  try {
    // Clamp so steady_clock::now() + timeout cannot overflow.
    const uint64_t ms = timeout_ms > 1'000'000'000'000ULL ? 1'000'000'000'000ULL : timeout_ms;
    return node->client.flush(std::chrono::milliseconds(ms)) ? NEBULA_NODE_OK : NEBULA_NODE_TIMEOUT;
  } catch (...) {
    return NEBULA_NODE_INTERNAL;
  }
}

size_t nebula_node_stats(nebula_node* node, char* buf, size_t cap) {
  if (!node) return 0;
  try {
    const std::string text = node->client.stats_json();
    write_text(buf, cap, text);
    return text.size();
  } catch (...) {
    write_text(buf, cap, "{}");
    return 2;
  }
}

uint64_t nebula_node_pending(nebula_node* node) {
  if (!node) return 0;
  try {
    return node->client.pending();
  } catch (...) {
    return 0;
  }
}

void nebula_node_set_log_callback(nebula_node* node, nebula_node_log_fn fn, void* user) {
  if (node) node->client.logger().set_callback(fn, user);
}

void nebula_node_destroy(nebula_node* node) {
  try {
    delete node;
  } catch (...) {
  }
}

}  // extern "C"
