#include "node_config.hpp"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <set>
#include <sstream>
#include <stdexcept>

#include "logger.hpp"

namespace nebula::node {

namespace {

using nlohmann::json;

[[noreturn]] void fail(std::string_view key, std::string_view what) {
  throw std::invalid_argument(std::string(key) + ": " + std::string(what));
}

std::string text(const json& cfg, const char* key, std::string fallback) {
  if (!cfg.contains(key)) return fallback;
  if (!cfg[key].is_string()) fail(key, "must be a string");
  return cfg[key].get<std::string>();
}

std::uint64_t integer(const json& cfg, const char* key, std::uint64_t fallback, std::uint64_t min, std::uint64_t max) {
  if (!cfg.contains(key)) return fallback;
  const json& v = cfg[key];
  if (!v.is_number_integer() || (!v.is_number_unsigned() && v.get<std::int64_t>() < 0))
    fail(key, "must be a non-negative integer");
  const auto n = v.get<std::uint64_t>();
  if (n < min || n > max) fail(key, "must be between " + std::to_string(min) + " and " + std::to_string(max));
  return n;
}

std::vector<std::string> strings(const json& cfg, const char* key) {
  std::vector<std::string> out;
  if (!cfg.contains(key)) return out;
  const json& v = cfg[key];
  if (v.is_string()) return {v.get<std::string>()};
  if (!v.is_array()) fail(key, "must be a string or a list of strings");
  for (const auto& item : v) {
    if (!item.is_string() || item.get<std::string>().empty()) fail(key, "every entry must be a non-empty string");
    out.push_back(item.get<std::string>());
  }
  return out;
}

std::vector<std::string> split(std::string_view s, char sep) {
  std::vector<std::string> out;
  std::string item;
  std::stringstream in{std::string(s)};
  while (std::getline(in, item, sep)) {
    while (!item.empty() && item.front() == ' ') item.erase(item.begin());
    while (!item.empty() && item.back() == ' ') item.pop_back();
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

void reject_unknown_keys(const json& cfg) {
  static const std::set<std::string> known = {
      "node_id",     "node_type",          "chain_id",  "endpoints", "endpoint",  "transport",
      "transport_config", "plugin_dir",    "plugin_dirs", "batch_size", "flush_interval_ms",
      "buffer_max_records", "spill_dir",   "backoff",   "workers",   "shutdown_timeout_ms", "log_level"};
  for (const auto& [key, value] : cfg.items())
    if (!known.count(key)) fail(key, "unknown key (see docs/node.md for the accepted keys)");
}

BackoffConfig parse_backoff(const json& cfg) {
  BackoffConfig b;
  if (!cfg.contains("backoff")) return b;
  const json& v = cfg["backoff"];
  if (!v.is_object()) fail("backoff", "must be an object {initial_ms, max_ms}");
  for (const auto& [key, value] : v.items())
    if (key != "initial_ms" && key != "max_ms") fail("backoff." + key, "unknown key (initial_ms, max_ms)");
  b.initial = std::chrono::milliseconds(integer(v, "initial_ms", 500, 1, 3'600'000));
  b.max = std::chrono::milliseconds(integer(v, "max_ms", 60'000, 1, 24 * 3'600'000ULL));
  if (b.max < b.initial) fail("backoff.max_ms", "must be >= backoff.initial_ms");
  return b;
}

}  // namespace

NodeConfig parse_node_config(std::string_view text_in) {
  json cfg = text_in.empty() ? json::object() : json::parse(text_in, nullptr, false);
  if (cfg.is_discarded()) throw std::invalid_argument("config is not valid JSON");
  if (cfg.is_null()) cfg = json::object();
  if (!cfg.is_object()) throw std::invalid_argument("config must be a JSON object");
  reject_unknown_keys(cfg);

  NodeConfig c;
  c.node_id = text(cfg, "node_id", "");
  c.node_type = text(cfg, "node_type", "");
  c.chain_id = text(cfg, "chain_id", "");

  auto configured = strings(cfg, "endpoints");
  for (auto& e : strings(cfg, "endpoint")) configured.push_back(e);
  c.endpoints = discover_endpoints(configured, std::getenv("NEBULA_POOL_ENDPOINT"));

  c.transport = text(cfg, "transport", "auto");
  if (c.transport.empty()) fail("transport", "must be a plugin id or \"auto\"");
  for (const auto& e : c.endpoints) (void)transport_for_endpoint(e, c.transport);  // fail early on unknown schemes
  if (cfg.contains("transport_config")) {
    if (!cfg["transport_config"].is_object()) fail("transport_config", "must be an object");
    c.transport_config = cfg["transport_config"].dump();
  }

  c.plugin_dirs = strings(cfg, "plugin_dirs");
  for (auto& d : strings(cfg, "plugin_dir")) c.plugin_dirs.push_back(d);
  if (const char* env = std::getenv("NEBULA_PLUGIN_PATH"))
    for (auto& d : split(env, ':')) c.plugin_dirs.push_back(d);

  c.batch_size = integer(cfg, "batch_size", 50, 1, 100'000);
  c.flush_interval = std::chrono::milliseconds(integer(cfg, "flush_interval_ms", 30'000, 1, 24 * 3'600'000ULL));
  c.buffer_max_records = integer(cfg, "buffer_max_records", 10'000, 1, 100'000'000);
  c.spill_dir = text(cfg, "spill_dir", "");
  if (c.spill_dir.empty()) c.spill_dir = default_spill_dir(c.node_id.empty() ? "default" : c.node_id);
  c.backoff = parse_backoff(cfg);
  c.workers = integer(cfg, "workers", 1, 1, 256);
  c.shutdown_timeout = std::chrono::milliseconds(integer(cfg, "shutdown_timeout_ms", 5'000, 0, 3'600'000));
  if (cfg.contains("log_level")) c.log_level = parse_log_level(text(cfg, "log_level", "warn"));
  return c;
}

std::vector<std::string> discover_endpoints(const std::vector<std::string>& configured, const char* env_value) {
  if (!configured.empty()) return configured;
  if (env_value) {
    auto from_env = split(env_value, ',');
    if (!from_env.empty()) return from_env;
  }
  return {"http://localhost:7000"};
}

std::string transport_for_endpoint(std::string_view endpoint, std::string_view transport) {
  if (transport != "auto") return std::string(transport);
  const auto colon = endpoint.find("://");
  const std::string_view scheme = colon == std::string_view::npos ? std::string_view{} : endpoint.substr(0, colon);
  if (scheme == "http" || scheme == "https") return "nebula.transport.http";
  if (scheme == "tcp" || scheme == "tcp+tls") return "nebula.transport.tcp";
  if (scheme == "file") return "nebula.transport.file";
  if (scheme == "redis") return "nebula.transport.redis";
  throw std::invalid_argument("endpoints: cannot choose a transport for '" + std::string(endpoint) +
                              "' (use http://, https://, tcp://, tcp+tls://, file:// or redis://, or set \"transport\" to a plugin id)");
}

std::string default_spill_dir(std::string_view node_id) {
  namespace fs = std::filesystem;
  const std::string leaf = std::string("nebula-node/") + std::string(node_id);
  if (const char* xdg = std::getenv("XDG_STATE_HOME"); xdg && *xdg) return (fs::path(xdg) / leaf).string();
  if (const char* home = std::getenv("HOME"); home && *home) return (fs::path(home) / ".local/state" / leaf).string();
  return (fs::path("/tmp") / ("nebula-node-" + std::to_string(::getuid())) / std::string(node_id)).string();
}

}  // namespace nebula::node
