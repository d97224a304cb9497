#include "simulate_command.hpp"

#include <stdlib.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>

#include <nebula_sim/fleet.hpp>
#include <nebula_sim/fleet_builder.hpp>
#include <nebula_sim/wire.hpp>
#include <spdlog/spdlog.h>

#include "fleet_split.hpp"
#include "node_handle.hpp"
#include "stop_flag.hpp"

namespace nebula::node::cli {

namespace {

using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

FleetCounts fleet_counts(const SimulateOptions& o) {
  FleetCounts explicit_counts{o.testnet, o.mainnet, o.basic, o.full, o.simple};
  if (explicit_counts.total() > 0) return explicit_counts;
  return split_fleet(o.nodes, parse_ratio(o.ratio));
}

std::string make_temp_dir() {
  const char* tmp = std::getenv("TMPDIR");
  std::string tmpl = (fs::path(tmp && *tmp ? tmp : "/tmp") / "nebula-node-sim-XXXXXX").string();
  if (!::mkdtemp(tmpl.data())) throw std::runtime_error("cannot create a spill directory under " + tmpl);
  return tmpl;
}

nlohmann::json progress(const nebula_sim::Fleet& fleet, const nlohmann::json& stats) {
  return {{"progress",
           {{"sim_time", fleet.now()},
            {"steps", fleet.steps_taken()},
            {"recorded", stats.value("recorded", 0)},
            {"delivered", stats.value("delivered", 0)},
            {"rejected", stats.value("rejected", 0)},
            {"retries", stats.value("retries", 0)},
            {"pending", stats.value("pending", 0)},
            {"last_error", stats.value("last_error", "")}}}};
}

}  // namespace

CLI::App* add_simulate_command(CLI::App& app, SimulateOptions& o) {
  auto* cmd = app.add_subcommand("simulate", "Stream a deterministic simulated fleet (nebula_sim) to the pool");
  cmd->add_option("-N,--nodes", o.nodes, "Fleet size, split over the types by --ratio");
  cmd->add_option("--ratio", o.ratio, "testnet:mainnet:basic:full[:simple] weights for --nodes")->capture_default_str();
  cmd->add_option("--testnet", o.testnet, "TestNet nodes (explicit counts replace --nodes/--ratio)");
  cmd->add_option("--mainnet", o.mainnet, "MainNet nodes");
  cmd->add_option("--basic", o.basic, "Basic nodes (minimal field set)");
  cmd->add_option("--full", o.full, "Full nodes (extra analysis fields)");
  cmd->add_option("--simple", o.simple, "Simple nodes (blockchain and network metrics, no performance)");
  cmd->add_option("--group-names", o.group_names,
                  "Metric group names on the wire: short (blockchain, ...) or document (blockchain_metrics, ... "
                  "as the architecture document's nodes send them)")
      ->check(CLI::IsMember({"short", "document"}))
      ->capture_default_str();
  cmd->add_option("--seed", o.seed, "Simulator seed: same seed, same records and incidents")->capture_default_str();
  auto* speed = cmd->add_option("--speed", o.speed, "Simulated seconds per real second (60: a minute per second)")->capture_default_str()
                    ->check(CLI::PositiveNumber);
  cmd->add_flag("--max-rate", o.max_rate, "No pacing: as fast as the pool accepts")->excludes(speed);
  auto* duration = cmd->add_option("--duration", o.duration, "Simulated seconds to run (default 3600)")
                       ->check(CLI::PositiveNumber);
  cmd->add_option("--steps", o.steps, "Samples per node to send (instead of --duration)")
      ->check(CLI::PositiveNumber)
      ->excludes(duration);
  cmd->add_option("--sample-interval", o.sample_interval, "Simulated seconds between a node's samples")->capture_default_str()
      ->check(CLI::PositiveNumber);
  cmd->add_option("--incident-rate", o.incident_rate, "Random incidents per node-hour (default: the simulator's)");
  cmd->add_flag("--no-incidents", o.no_incidents, "No random incidents");
  cmd->add_option("--truth", o.truth, "Write the ground-truth incidents here (JSON lines)");
  cmd->add_option("--stats-every", o.stats_every, "Real seconds between progress lines on stderr (0: none)")->capture_default_str();
  cmd->add_option("--workers", o.workers, "Delivery threads shared by all simulated nodes")->capture_default_str()
      ->check(CLI::Range(1, 256));
  cmd->add_option("--flush-timeout-ms", o.flush_timeout_ms, "At the end, wait this long for everything to be accepted")
      ->capture_default_str();
  o.client.add_to(*cmd);
  cmd->callback([&o] {
    if (o.testnet + o.mainnet + o.basic + o.full + o.simple == 0 && o.nodes == 0)
      throw CLI::ValidationError("--nodes",
                                 "give --nodes N or explicit --testnet/--mainnet/--basic/--full/--simple counts");
  });
  return cmd;
}

int run_simulation(const SimulateOptions& o) {
  install_stop_handlers();
  const FleetCounts counts = fleet_counts(o);

  nebula_sim::FleetBuilder fleet_config;
  fleet_config.nodes(counts).seed(o.seed).sample_interval(o.sample_interval);
  if (o.no_incidents) fleet_config.random_incidents(false);
  if (o.incident_rate >= 0) fleet_config.incident_rate(o.incident_rate);
  nebula_sim::Fleet fleet(fleet_config.build());
  const auto names = o.group_names == "document" ? nebula_sim::GroupNames::Document : nebula_sim::GroupNames::Short;

  const std::int64_t steps =
      o.steps > 0 ? o.steps : static_cast<std::int64_t>(std::ceil((o.duration > 0 ? o.duration : 3600.0) / o.sample_interval));

  nlohmann::json cfg = o.client.to_config();
  cfg.erase("node_id");  // one handle for the fleet: every record names its node
  cfg["workers"] = o.workers;
  const std::size_t batch = cfg.value("batch_size", std::size_t{50});
  if (!cfg.contains("buffer_max_records"))
    cfg["buffer_max_records"] = std::max<std::size_t>(10'000, counts.total() * batch * 2);
  const auto bound = cfg["buffer_max_records"].get<std::uint64_t>();
  std::string own_spill;
  if (!cfg.contains("spill_dir")) cfg["spill_dir"] = own_spill = make_temp_dir();

  const auto started = Clock::now();
  bool interrupted = false;
  nlohmann::json stats;
  bool flushed = false;
  {
    NodeHandle node(cfg);
    const auto step_period = std::chrono::duration_cast<Clock::duration>(
        std::chrono::duration<double>(o.sample_interval / (o.max_rate ? 1.0 : o.speed)));
    const auto stats_period = std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o.stats_every));
    auto next_stats = started + stats_period;
    auto maybe_progress = [&] {
      if (o.stats_every <= 0 || Clock::now() < next_stats) return;
      next_stats += stats_period;
      std::cerr << progress(fleet, node.stats()).dump() << std::endl;
    };

    std::vector<nebula_sim::SimRecord> records;
    for (std::int64_t i = 0; i < steps && !interrupted; ++i) {
      if (!o.max_rate && !sleep_unless_stopped(started + step_period * i - Clock::now())) interrupted = true;
      // Back-pressure: a slow pool slows the simulation instead of filling the spill.
      while (!interrupted && node.pending() + counts.total() > bound) {
        maybe_progress();
        if (!sleep_unless_stopped(std::chrono::milliseconds(2))) interrupted = true;
      }
      if (interrupted) break;
      fleet.step(records);
      for (const auto& r : records) {
        // The node client numbers records from its persisted counter, so a
        // second run with the same spill dir continues the sequence instead
        // of repeating seqs the pool would rightly drop as duplicates.
        auto wire = nebula_sim::to_wire(r, names);
        wire.erase("seq");
        if (node.record(wire.dump()) != NEBULA_NODE_OK)
          spdlog::warn("simulated record refused (node {})", r.node_id);
      }
      maybe_progress();
    }
    flushed = node.flush(std::chrono::milliseconds(o.flush_timeout_ms));
    stats = node.stats();
  }  // destroy: whatever is left stays in the spill

  if (!o.truth.empty()) {
    std::ofstream out(o.truth);
    nebula_sim::write_incidents_jsonl(out, fleet.ground_truth());
    if (!out) spdlog::error("cannot write {}", o.truth);
  }
  const auto pending = stats.value("pending", std::uint64_t{0});
  const auto rejected = stats.value("rejected", std::uint64_t{0});
  if (!own_spill.empty() && pending == 0) {
    std::error_code ec;
    fs::remove_all(own_spill, ec);
  }
  const bool ok = flushed && pending == 0 && rejected == 0;
  nlohmann::json summary{
      {"command", "simulate"},
      {"ok", ok},
      {"seed", o.seed},
      {"nodes", {{"testnet", counts.testnet}, {"mainnet", counts.mainnet}, {"basic", counts.basic}, {"full", counts.full},
                 {"simple", counts.simple}}},
      {"steps", fleet.steps_taken()},
      {"sim_seconds", static_cast<double>(fleet.steps_taken()) * o.sample_interval},
      {"wall_seconds", std::chrono::duration<double>(Clock::now() - started).count()},
      {"records", stats.value("recorded", 0)},
      {"delivered", stats.value("delivered", 0)},
      {"rejected", rejected},
      {"retries", stats.value("retries", 0)},
      {"failovers", stats.value("failovers", 0)},
      {"pending", pending},
      {"incidents", fleet.ground_truth().size()},
      {"interrupted", interrupted},
      {"last_error", stats.value("last_error", "")}};
  if (!o.truth.empty()) summary["truth"] = o.truth;
  if (pending > 0) summary["spill_dir"] = cfg["spill_dir"];
  std::cout << summary.dump() << std::endl;
  if (!flushed || pending > 0) return 1;
  return rejected > 0 ? 2 : 0;
}

}  // namespace nebula::node::cli
