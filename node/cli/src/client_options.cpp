#include "client_options.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>

#include "nebula/install_layout.hpp"

namespace nebula::node::cli {

namespace fs = std::filesystem;

void ClientOptions::add_to(CLI::App& cmd) {
  cmd.add_option("--config", config_file, "JSON file with libnebula_node settings (docs/node.md); flags override it");
  cmd.add_option("-e,--endpoint", endpoints,
                 "Pool endpoint, repeatable, failover in order (default: $NEBULA_POOL_ENDPOINT, else http://localhost:7000)");
  cmd.add_option("-t,--transport", transport, "Transport plugin id (default: chosen by the endpoint's scheme)");
  cmd.add_option("--transport-config", transport_config, "JSON object handed to the transport's client");
  cmd.add_option("--plugin-dir", plugin_dirs, "Where transport plugins are (repeatable; NEBULA_PLUGIN_PATH too)");
  cmd.add_option("--spill-dir", spill_dir, "Where records beyond the memory bound are kept");
  cmd.add_option("--batch-size", batch_size, "Records per batch (default 50)")->check(CLI::Range(1, 100000));
  cmd.add_option("--flush-interval-ms", flush_interval_ms, "Longest a partial batch waits (default 30000)");
  cmd.add_option("--buffer-max-records", buffer_max_records, "Records kept in memory before spilling (default 10000)");
  cmd.add_option("--log-level", log_level, "Library log level: debug, info, warn, error")
      ->check(CLI::IsMember({"debug", "info", "warn", "error"}));
}

std::vector<std::string> default_plugin_dirs() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return {};
  std::vector<std::string> out;
  // A build tree (build/bin/../plugins), then an installed tree (cmake/NebulaVersion.cmake).
  for (const fs::path& dir : {(exe.parent_path() / "../plugins").lexically_normal(), nebula::installed_plugin_dir()})
    if (fs::is_directory(dir, ec)) out.push_back(dir.string());
  return out;
}

nlohmann::json ClientOptions::to_config() const {
  nlohmann::json cfg = nlohmann::json::object();
  if (!config_file.empty()) {
    std::ifstream in(config_file);
    if (!in) throw std::runtime_error("cannot read " + config_file);
    cfg = nlohmann::json::parse(std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>()),
                                nullptr, false);
    if (!cfg.is_object()) throw std::runtime_error(config_file + ": not a JSON object");
  }
  if (!endpoints.empty()) cfg["endpoints"] = endpoints;
  if (!transport.empty()) cfg["transport"] = transport;
  if (!transport_config.empty()) {
    auto tc = nlohmann::json::parse(transport_config, nullptr, false);
    if (!tc.is_object()) throw std::runtime_error("--transport-config: not a JSON object");
    cfg["transport_config"] = tc;
  }
  std::vector<std::string> dirs = plugin_dirs;
  if (cfg.contains("plugin_dirs") && cfg["plugin_dirs"].is_array())
    for (const auto& d : cfg["plugin_dirs"]) dirs.push_back(d.get<std::string>());
  for (auto& d : default_plugin_dirs()) dirs.push_back(d);
  if (!dirs.empty()) cfg["plugin_dirs"] = dirs;
  if (!spill_dir.empty()) cfg["spill_dir"] = spill_dir;
  if (batch_size) cfg["batch_size"] = batch_size;
  if (flush_interval_ms) cfg["flush_interval_ms"] = flush_interval_ms;
  if (buffer_max_records) cfg["buffer_max_records"] = buffer_max_records;
  if (!log_level.empty()) cfg["log_level"] = log_level;
  return cfg;
}

}  // namespace nebula::node::cli
