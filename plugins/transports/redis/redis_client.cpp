#include "redis_client.hpp"

#include <stdexcept>

#include "append_script.hpp"
#include "batch_shards.hpp"

namespace nebula::redis {
namespace {

Delivery retry(std::string message, uint32_t after_ms = 0) {
  Delivery d;
  d.status = NEBULA_RETRY;
  d.retry_after_ms = after_ms;
  d.message = std::move(message);
  return d;
}

Delivery accepted(size_t records, size_t streams) {
  Delivery d;
  d.status = NEBULA_OK;
  d.accepted = static_cast<uint32_t>(records);
  d.message = "appended " + std::to_string(records) + " records to " + std::to_string(streams) + " redis stream" +
              (streams == 1 ? "" : "s");
  return d;
}

Endpoint endpoint_from(const std::string& url, const ClientConfig& config) {
  Endpoint ep;
  try {
    ep = parse_endpoint(url);
  } catch (const std::invalid_argument& e) {
    throw Error(NEBULA_INVALID, e.what());
  }
  if (!config.password.empty()) {
    if (!ep.password.empty()) throw Error(NEBULA_INVALID, "/password: the endpoint URL has a password too; give it once");
    ep.password = config.password;
  }
  ep.connect_timeout = std::chrono::milliseconds(config.connect_timeout_ms);
  ep.command_timeout = std::chrono::milliseconds(config.command_timeout_ms);
  return ep;
}

ClientConfig checked_config(const nlohmann::json& config) {
  ConfigErrors errors;
  ClientConfig c = read_client_config(config, errors);
  if (!errors.empty()) throw Error(NEBULA_INVALID, errors.text());
  return c;
}

}  // namespace

RedisClient::RedisClient(const std::string& endpoint, const nlohmann::json& config)
    : config_(checked_config(config)), connection_(endpoint_from(endpoint, config_)) {}

Delivery RedisClient::deliver(std::string_view batch_json) {
  const ShardedBatch batch = split_by_shard(batch_json, config_.shards);  // INVALID: the node drops the batch
  if (batch.records == 0) return accepted(0, 0);
  const AppendCall call = append_call(batch, config_.stream, config_.max_length);
  AppendOutcome outcome;
  try {
    outcome = read_append_reply(connection_.eval(append_script(), call.keys, call.args));
  } catch (const ConnectionError& e) {
    return retry(e.what());  // the node keeps the batch and backs off
  }
  const std::string where = connection_.endpoint().text() + ": ";
  switch (outcome.kind) {
    case AppendOutcome::Kind::appended:
      return accepted(batch.records, batch.shards.size());
    case AppendOutcome::Kind::full:
      return retry(where + "stream '" + outcome.key + "' holds " + std::to_string(outcome.length) +
                       " entries (max_length " + std::to_string(config_.max_length) +
                       "); waiting for the pool to consume",
                   kFullStreamRetryMs);
    case AppendOutcome::Kind::wrong_type:
      return retry(where + "key '" + outcome.key + "' is a " + outcome.detail + ", not a stream; fix or rename it");
    case AppendOutcome::Kind::unexpected:
      break;
  }
  return retry(where + "append failed: " + outcome.detail);
}

}  // namespace nebula::redis
