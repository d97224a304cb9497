#include "run_command.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>

#include <spdlog/spdlog.h>

#include "ethereum_collector.hpp"
#include "http_get.hpp"
#include "node_handle.hpp"
#include "proc_metrics.hpp"
#include "prometheus_mapping.hpp"
#include "stop_flag.hpp"

namespace nebula::node::cli {

namespace {

using Clock = std::chrono::steady_clock;

std::string host_name() {
  char buf[256] = {0};
  if (::gethostname(buf, sizeof buf - 1) != 0 || !buf[0]) return "node";
  return buf;
}

double wall_seconds() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// The optional Prometheus half of a sample; remembers its last error so an
// unreachable endpoint is reported once, not every interval.
class Scraper {
 public:
  Scraper(const RunOptions& o)
      : url_(collect::parse_http_url(o.prometheus)),
        mapper_(collect::load_mapping_file(o.mapping)),
        timeout_(std::chrono::milliseconds(static_cast<long>(o.scrape_timeout * 1000))) {}

  nlohmann::json scrape(Clock::time_point now) {
    try {
      const auto samples = collect::parse_prometheus_text(collect::http_get(url_, timeout_));
      if (!last_error_.empty()) spdlog::info("scraping works again");
      last_error_.clear();
      return mapper_.apply(samples, now);
    } catch (const std::exception& e) {
      if (last_error_ != e.what()) spdlog::warn("scrape failed: {}", e.what());
      last_error_ = e.what();
      return nlohmann::json::object();
    }
  }

 private:
  collect::HttpUrl url_;
  collect::PrometheusMapper mapper_;
  std::chrono::milliseconds timeout_;
  std::string last_error_;
};

// Where the Ethereum block counter keeps its state unless told: one file per
// node id under $XDG_STATE_HOME (or ~/.local/state), so restarts resume.
std::filesystem::path default_ethereum_state(const std::string& node_id) {
  std::filesystem::path dir;
  if (const char* xdg = std::getenv("XDG_STATE_HOME"); xdg && *xdg) dir = xdg;
  else if (const char* home = std::getenv("HOME"); home && *home) dir = std::filesystem::path(home) / ".local/state";
  else dir = ".";
  return dir / "nebula-node" / ("ethereum-" + node_id + ".json");
}

std::optional<collect::ethereum::Collector> ethereum_collector(const RunOptions& o, const std::string& node_id) {
  if (o.ethereum.empty()) return std::nullopt;
  collect::ethereum::CollectorOptions c;
  c.url = o.ethereum;
  c.state_file = o.ethereum_state.empty() ? default_ethereum_state(node_id) : std::filesystem::path(o.ethereum_state);
  c.timeout = std::chrono::milliseconds(static_cast<long>(o.rpc_timeout * 1000));
  spdlog::info("Ethereum JSON-RPC {}, block state in {}", o.ethereum, c.state_file.string());
  return std::optional<collect::ethereum::Collector>(
      std::in_place, c, [](const std::string& line) { spdlog::warn("ethereum: {}", line); });
}

}  // namespace

CLI::App* add_run_command(CLI::App& app, RunOptions& o) {
  auto* cmd = app.add_subcommand("run", "Stream this machine's metrics (and a Prometheus endpoint's) to the pool");
  cmd->add_option("--node-id", o.node_id, "Node id (default: the host name)");
  cmd->add_option("--node-type", o.node_type, "Node type: testnet, mainnet, basic, full, ...");
  cmd->add_option("--chain-id", o.chain_id, "Chain id");
  cmd->add_option("-i,--interval", o.interval, "Seconds between samples")->check(CLI::PositiveNumber)->capture_default_str();
  cmd->add_option("-n,--count", o.count, "Send this many samples, then exit (default: until SIGINT/SIGTERM)");
  cmd->add_option("--prometheus", o.prometheus, "Also scrape this Prometheus text endpoint, e.g. http://127.0.0.1:6060/debug/metrics/prometheus");
  cmd->add_option("--mapping", o.mapping, "YAML file mapping record fields to metrics (see node/cli/mappings/)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--scrape-timeout", o.scrape_timeout, "Seconds a scrape may take")->check(CLI::PositiveNumber)->capture_default_str();
  cmd->add_option("--ethereum", o.ethereum,
                  "Also collect an Ethereum node's state over JSON-RPC, e.g. http://127.0.0.1:8545 (docs/node.md)");
  cmd->add_option("--ethereum-state", o.ethereum_state,
                  "File keeping the last counted blocks across restarts (default: $XDG_STATE_HOME/nebula-node/ethereum-<node-id>.json)");
  cmd->add_option("--rpc-timeout", o.rpc_timeout, "Seconds one JSON-RPC call may take")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--proc-root", o.proc_root, "Where /proc is (for containers and tests)")->capture_default_str();
  cmd->add_option("--flush-timeout-ms", o.flush_timeout_ms, "On exit, wait this long for the pool to take the rest")
      ->capture_default_str();
  cmd->add_flag("--dry-run", o.dry_run, "Print each record as a JSON line instead of sending it");
  o.client.add_to(*cmd);
  cmd->callback([&o] {
    if (!o.prometheus.empty() && o.mapping.empty())
      throw CLI::ValidationError("--prometheus", "needs --mapping FILE (node/cli/mappings/ has samples)");
  });
  return cmd;
}

int run_node(const RunOptions& o) {
  install_stop_handlers();
  const std::string node_id = o.node_id.empty() ? host_name() : o.node_id;
  std::optional<Scraper> scraper;
  if (!o.prometheus.empty()) scraper.emplace(o);
  auto ethereum = ethereum_collector(o, node_id);

  std::unique_ptr<NodeHandle> node;
  if (!o.dry_run) {
    nlohmann::json cfg = o.client.to_config();
    cfg["node_id"] = node_id;
    if (!o.node_type.empty()) cfg["node_type"] = o.node_type;
    if (!o.chain_id.empty()) cfg["chain_id"] = o.chain_id;
    node = std::make_unique<NodeHandle>(cfg);
  }

  collect::ProcSampler sampler(o.proc_root);
  sampler.sample(Clock::now());  // primes the counters: every record then has rates
  if (scraper) scraper->scrape(Clock::now());

  const auto period = std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o.interval));
  auto next = Clock::now() + period;
  std::uint64_t sent = 0, refused = 0;
  while ((o.count == 0 || sent + refused < o.count) && sleep_unless_stopped(next - Clock::now())) {
    next += period;
    const auto now = Clock::now();
    nlohmann::json record = sampler.sample(now);
    if (scraper) record.merge_patch(scraper->scrape(now));
    if (ethereum) record.merge_patch(ethereum->sample());
    if (o.dry_run) {
      record["node_id"] = node_id;
      if (!o.node_type.empty()) record["node_type"] = o.node_type;
      if (!o.chain_id.empty()) record["chain_id"] = o.chain_id;
      record["timestamp"] = wall_seconds();
      std::cout << record.dump() << std::endl;
      ++sent;
    } else if (node->record(record.dump()) == NEBULA_NODE_OK) {
      ++sent;
    } else {
      ++refused;
      spdlog::warn("record refused: {}", record.dump());
    }
  }

  nlohmann::json summary{{"command", "run"}, {"node_id", node_id}, {"samples", sent}, {"refused", refused}};
  bool delivered = true;
  if (node) {
    delivered = node->flush(std::chrono::milliseconds(o.flush_timeout_ms));
    summary["client"] = node->stats();
    node.reset();  // keeps anything undelivered in the spill for the next run
  }
  summary["delivered_all"] = delivered;
  std::cout << summary.dump() << std::endl;
  return delivered && refused == 0 ? 0 : 1;
}

}  // namespace nebula::node::cli
