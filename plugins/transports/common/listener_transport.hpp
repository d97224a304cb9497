// The plugin half of a listening transport (tcp, http, ethstats): reads its
// config once, runs one Server per start()..stop() and reports in describe()
// what every listener has (address, port, url, running, tls, connection cap,
// connections). A transport adds only its URL and its own facts.
//
//   Server: Server(Host, Config, std::shared_ptr<TokenStore>) with start(),
//           stop(), port() and connections().
//   Config: derives from ListenerSettings; ReadConfig records every problem.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <type_traits>

#include <nlohmann/json.hpp>

#include <nebula/plugin.hpp>

#include "listener_settings.hpp"
#include "token_store.hpp"

namespace nebula::transport {

template <class Server, class Config, Config (*ReadConfig)(const nlohmann::json&, ConfigErrors&)>
class ListenerTransport : public TransportServer {
  static_assert(std::is_base_of_v<ListenerSettings, Config>);

 public:
  static void validate(const nlohmann::json& cfg, ConfigErrors& errors) { ReadConfig(cfg, errors); }

  // `name` starts its log lines: "<name> transport listening on <url>".
  ListenerTransport(Host host, const nlohmann::json& cfg, std::string name)
      : TransportServer(std::move(host)), config_(read_validated(cfg)), name_(std::move(name)) {}
  ~ListenerTransport() override { stop(); }

  void start() final {
    std::lock_guard lock(mu_);
    if (server_) return;
    before_start();
    auto server = std::make_unique<Server>(host(), config_, open_token_store(config_.tokens_file, host()));
    server->start();
    server_ = std::move(server);
    host().info(name_ + " transport listening on " + url(port()) + listening_note(port()));
  }

  void stop() final {
    std::unique_ptr<Server> server;
    {
      std::lock_guard lock(mu_);
      server = std::move(server_);
    }
    if (server) server->stop();  // outside the lock: describe() must not wait for the drain
  }

  nlohmann::json describe() const final {
    std::lock_guard lock(mu_);
    nlohmann::json facts = {{"address", config_.address},
                            {"port", port()},
                            {"url", url(port())},
                            {"running", server_ != nullptr},
                            {"tls", config_.tls.has_value()},
                            {"mutual_tls", config_.tls && !config_.tls->client_ca.empty()},
                            {"max_connections_per_client", config_.max_connections_per_client},
                            {"connections", server_ ? server_->connections() : 0}};
    add_facts(facts, server_.get());
    return facts;
  }

 protected:
  const Config& config() const { return config_; }

  // Hooks, all called with the lock held. `port` is the bound one while running.
  virtual std::string url(uint16_t port) const = 0;
  // The transport's own describe() facts; `running` is null while stopped.
  virtual void add_facts(nlohmann::json& /*facts*/, const Server* /*running*/) const {}
  // Before the server is made (each time start() really starts one).
  virtual void before_start() const {}
  // Appended to the "listening on" line.
  virtual std::string listening_note(uint16_t /*port*/) const { return ""; }

 private:
  static Config read_validated(const nlohmann::json& cfg) {
    ConfigErrors ignored;  // create() validated already
    return ReadConfig(cfg, ignored);
  }
  uint16_t port() const { return server_ ? server_->port() : config_.port; }  // callers hold mu_

  const Config config_;
  const std::string name_;
  mutable std::mutex mu_;
  std::unique_ptr<Server> server_;
};

}  // namespace nebula::transport
