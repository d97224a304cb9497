// The settings every listening transport (tcp, http, ethstats) reads the
// same way: where it listens, its threads, idle and drain bounds, bearer
// tokens, the per-client connection cap and TLS. A transport's ServerConfig
// derives from ListenerSettings and reads only its own keys itself, so a
// listener key is named, bounded and checked in one place.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include <nebula/host.hpp>

#include "http/security/tls_files.hpp"

namespace nebula::transport {

struct ListenerSettings {
  // Each transport has its own well-known port, so it must name it.
  explicit ListenerSettings(uint16_t default_port) : port(default_port) {}

  std::string address = "127.0.0.1";
  uint16_t port;                             // 0 = ephemeral
  unsigned io_threads = 2;                   // socket I/O
  // Host submissions may block, so they are kept off the I/O threads. A
  // batch holds its submit thread until the write-ahead log's fsync covers
  // it, and batches waiting together share one fdatasync: 8, not 2, lets the
  // batches of 8 connections share them (TCP: half the fsyncs, measured).
  unsigned submit_threads = 8;
  uint32_t idle_timeout_ms = 60'000;         // no byte for this long: close
  uint32_t drain_timeout_ms = 5'000;         // stop(): wait this long for work in flight
  std::string tokens_file;                   // node_id -> token; "" = no token check
  uint32_t max_connections_per_client = 64;  // per client IP; more are refused and closed
  std::optional<security::ServerTls> tls;    // set: TLS only
};

// Reads the listener keys of `cfg` into `settings`, keeping its values (the
// defaults) where a key is absent or wrong; every problem is recorded as
// "/<key>: <why>". idle_timeout_ms below `min_idle_timeout_ms` is refused.
void read_listener_settings(const nlohmann::json& cfg, ListenerSettings& settings, ConfigErrors& errors,
                            uint32_t min_idle_timeout_ms = 10);

// Reports keys of `cfg` that are neither listener keys nor in `own_keys`
// (a typo must not pass silently); the message lists all known keys.
void reject_unknown_listener_keys(const nlohmann::json& cfg, std::initializer_list<const char*> own_keys,
                                  ConfigErrors& errors);

}  // namespace nebula::transport
