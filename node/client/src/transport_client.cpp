#include "transport_client.hpp"

#include <cstring>
#include <utility>

namespace nebula::node {

TransportClient::TransportClient(const nebula_transport_client_v1* table, std::string endpoint,
                                 std::string config_json)
    : table_(table), endpoint_(std::move(endpoint)), config_json_(std::move(config_json)) {}

TransportClient::TransportClient(TransportClient&& other) noexcept
    : table_(other.table_),
      endpoint_(std::move(other.endpoint_)),
      config_json_(std::move(other.config_json_)),
      client_(std::exchange(other.client_, nullptr)) {}

TransportClient::~TransportClient() { reset(); }

void TransportClient::reset() {
  if (client_) table_->client_destroy(client_);
  client_ = nullptr;
}

DeliveryOutcome TransportClient::deliver(std::string_view batch_json) {
  DeliveryOutcome out;
  if (!client_) {
    char err[NEBULA_ERROR_CAP] = {0};
    const nebula_status st = table_->client_create(endpoint_.c_str(), config_json_.c_str(), &client_, err, sizeof err);
    if (st != NEBULA_OK || !client_) {
      client_ = nullptr;
      out.status = st == NEBULA_OK ? NEBULA_INTERNAL : st;
      out.create_failed = true;
      out.message = std::string("cannot create a client for ") + endpoint_ + ": " + err;
      return out;
    }
  }
  nebula_delivery d{};
  d.struct_size = sizeof d;
  const nebula_status st = table_->deliver(client_, batch_json.data(), batch_json.size(), &d);
  out.status = st;
  out.accepted = d.accepted;
  out.rejected = d.rejected;
  out.retry_after_ms = st == NEBULA_RETRY ? d.retry_after_ms : 0;
  d.message[sizeof d.message - 1] = '\0';  // a plugin that forgot the NUL must not make us read past the end
  out.message = d.message;
  return out;
}

}  // namespace nebula::node
