// A connection that is made again once the last one broke: the first call
// after the server came back reconnects. No retry loop of its own: the
// host's backoff between deliveries paces the attempts.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>

#include "pg_connection.hpp"

namespace nebula::sinks::postgres {

class Session {
 public:
  // Runs on every new connection before it is used (e.g. the schema check);
  // when it throws, the connection is dropped and the next call tries again.
  using OnConnect = std::function<void(Connection&)>;

  Session(ConnectionSettings settings, OnConnect on_connect)
      : settings_(std::move(settings)), on_connect_(std::move(on_connect)) {}

  // The live connection, or a new one. Throws as Connection's constructor.
  Connection& connection();
  // Whether the last connection() made the connection it returned.
  bool fresh() const { return fresh_; }
  // Gives up the connection (e.g. after a failure that left it unusable).
  void drop() { conn_.reset(); }
  uint64_t connects() const { return connects_; }

 private:
  ConnectionSettings settings_;
  OnConnect on_connect_;
  std::unique_ptr<Connection> conn_;
  bool fresh_ = false;
  uint64_t connects_ = 0;
};

}  // namespace nebula::sinks::postgres
