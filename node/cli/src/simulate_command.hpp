// `nebula-node simulate`: a deterministic nebula_sim fleet streamed to the
// pool through libnebula_node, at a chosen time acceleration.
//
// Delivery design: ONE nebula_node handle carries the whole fleet. Each
// record names its node, so the library keeps a FIFO and seq per node, while
// a small pool of delivery workers (--workers, each with its own transport
// clients) is shared by all nodes; a node never has two batches in flight,
// so per-node order holds. N handles would mean N threads, N connections and
// N spill directories for what is one process.
#pragma once

#include <cstdint>
#include <string>

#include <CLI/CLI.hpp>

#include "client_options.hpp"

namespace nebula::node::cli {

struct SimulateOptions {
  ClientOptions client;
  std::size_t nodes = 0;
  std::string ratio = "4:4:1:1";  // testnet:mainnet:basic:full[:simple]
  std::size_t testnet = 0, mainnet = 0, basic = 0, full = 0, simple = 0;
  std::string group_names = "short";  // short | document (blockchain_metrics, ...)
  std::uint64_t seed = 1;
  double speed = 60.0;   // simulated seconds per real second
  bool max_rate = false;  // no pacing: as fast as the pool takes it
  double duration = 0;    // simulated seconds (default 3600 when --steps is not given)
  std::int64_t steps = 0;
  double sample_interval = 5.0;
  double incident_rate = -1;  // per node-hour; < 0 keeps the simulator's default
  bool no_incidents = false;
  std::string truth;  // ground-truth incidents JSONL
  double stats_every = 5.0;  // real seconds between progress lines (stderr); 0 = never
  std::size_t workers = 4;
  std::uint64_t flush_timeout_ms = 120'000;
};

CLI::App* add_simulate_command(CLI::App& app, SimulateOptions& options);
int run_simulation(const SimulateOptions& options);

}  // namespace nebula::node::cli
