// `nebula-node run`: this machine's metrics (and optionally a scraped
// Prometheus endpoint and an Ethereum node's JSON-RPC) streamed to the pool
// every --interval seconds.
#pragma once

#include <cstdint>
#include <string>

#include <CLI/CLI.hpp>

#include "client_options.hpp"

namespace nebula::node::cli {

struct RunOptions {
  ClientOptions client;
  std::string node_id;  // default: the host name
  std::string node_type;
  std::string chain_id;
  double interval = 5.0;   // seconds between samples
  std::uint64_t count = 0;  // samples to send; 0 = until SIGINT/SIGTERM
  std::string prometheus;  // http://host:port/metrics
  std::string mapping;     // YAML mapping file, required with --prometheus
  double scrape_timeout = 2.0;
  std::string ethereum;        // JSON-RPC URL of an Ethereum node, e.g. http://127.0.0.1:8545
  std::string ethereum_state;  // its block-counting state file (default under $XDG_STATE_HOME)
  double rpc_timeout = 2.0;
  std::string proc_root = "/proc";
  bool dry_run = false;  // print records instead of sending them
  std::uint64_t flush_timeout_ms = 10'000;
};

CLI::App* add_run_command(CLI::App& app, RunOptions& options);
int run_node(const RunOptions& options);

}  // namespace nebula::node::cli
