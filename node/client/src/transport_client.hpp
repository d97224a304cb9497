// One endpoint's plugin client, created on first use and re-created after an
// I/O failure. Not thread-safe: owned by one delivery worker (the ABI allows
// one deliver() at a time per client).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "nebula/nebula_plugin.h"

namespace nebula::node {

struct DeliveryOutcome {
  nebula_status status = NEBULA_OK;
  std::uint32_t accepted = 0;
  std::uint32_t rejected = 0;
  std::uint32_t retry_after_ms = 0;
  std::string message;
  bool create_failed = false;  // client_create() refused; nothing was sent
};

class TransportClient {
 public:
  TransportClient(const nebula_transport_client_v1* table, std::string endpoint, std::string config_json);
  ~TransportClient();
  TransportClient(TransportClient&& other) noexcept;
  TransportClient(const TransportClient&) = delete;
  TransportClient& operator=(const TransportClient&) = delete;
  TransportClient& operator=(TransportClient&&) = delete;

  // [data] Sends one data_batch document and returns the verdict.
  DeliveryOutcome deliver(std::string_view batch_json);
  // Drops the plugin client; the next deliver() creates a fresh one.
  void reset();
  const std::string& endpoint() const { return endpoint_; }

 private:
  const nebula_transport_client_v1* table_;
  std::string endpoint_;
  std::string config_json_;
  void* client_ = nullptr;
};

}  // namespace nebula::node
