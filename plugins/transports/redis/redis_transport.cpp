// Registration: binds the Redis Streams client (node side) and server (pool
// side) to the plugin ABI.
#include <memory>

#include <nebula/plugin.hpp>

#include "redis_client.hpp"
#include "redis_server.hpp"
#include "redis_server_config.hpp"

namespace nebula::redis {

class RedisTransport : public TransportServer {
 public:
  static constexpr PluginMeta meta{"nebula.transport.redis", "Redis Streams transport", "1.0.0",
                                   "NDJSON entries in sharded Redis streams, read by a consumer group"};
  using Client = RedisClient;

  static void validate(const nlohmann::json& cfg, ConfigErrors& errors) { read_server_config(cfg, errors); }

  RedisTransport(Host host, const nlohmann::json& cfg) : TransportServer(std::move(host)) {
    ConfigErrors ignored;  // create() validated already
    server_ = std::make_unique<RedisServer>(this->host(), read_server_config(cfg, ignored));
  }
  ~RedisTransport() override { server_->stop(); }

  void start() override { server_->start(); }
  void stop() override { server_->stop(); }
  nlohmann::json describe() const override { return server_->describe(); }
  nebula_status confirm_replay(const std::string& origin) override { return server_->confirm_replay(origin); }

 private:
  std::unique_ptr<RedisServer> server_;
};

}  // namespace nebula::redis

NEBULA_PLUGINS(nebula::redis::RedisTransport)
