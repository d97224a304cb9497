// nebula-node: the node side of Nebula Pool from the command line.
#include <iostream>

#include <CLI/CLI.hpp>

#include "nebula/version.hpp"
#include "log_setup.hpp"
#include "run_command.hpp"
#include "simulate_command.hpp"

int main(int argc, char** argv) {
  using namespace nebula::node::cli;
  use_timestamped_log();
  CLI::App app{"nebula-node: stream node metrics to a Nebula processing pool"};
  app.require_subcommand(1);
  app.set_version_flag("--version", nebula::version_line("nebula-node"));
  RunOptions run;
  SimulateOptions simulate;
  auto* run_cmd = add_run_command(app, run);
  auto* simulate_cmd = add_simulate_command(app, simulate);
  CLI11_PARSE(app, argc, argv);
  try {
    if (run_cmd->parsed()) return run_node(run);
    if (simulate_cmd->parsed()) return run_simulation(simulate);
  } catch (const std::exception& e) {
    std::cerr << "nebula-node: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
