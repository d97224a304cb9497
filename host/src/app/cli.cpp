#include <CLI/CLI.hpp>

#include "app/commands.hpp"
#include "nebula/version.hpp"

namespace nebula::host {

int main_cli(int argc, char** argv) {
  CLI::App app{"nebula-pool: the Nebula processing pool host.\n"
               "Loads transport, processor and agent plugins and wires them as a YAML pipeline describes."};
  app.require_subcommand(1);
  app.set_version_flag("--version", nebula::version_line("nebula-pool"));

  std::string run_config;
  auto* run = app.add_subcommand("run", "Run the pipeline until SIGTERM/SIGINT");
  run->add_option("-c,--config", run_config, "Pipeline YAML file")->required()->check(CLI::ExistingFile);

  std::string validate_config;
  auto* validate = app.add_subcommand("validate", "Load the plugins and check the pipeline file; print every problem");
  validate->add_option("-c,--config", validate_config, "Pipeline YAML file")->required()->check(CLI::ExistingFile);

  std::string plugins_config;
  std::vector<std::string> plugin_dirs;
  bool as_json = false;
  auto* plugins = app.add_subcommand("plugins", "List the plugins found: id, kind, version, ABI, file");
  plugins->add_option("-c,--config", plugins_config, "Use the plugin paths of this pipeline file")->check(CLI::ExistingFile);
  plugins->add_option("-d,--dir", plugin_dirs, "Plugin directory (repeatable); NEBULA_PLUGIN_PATH is searched too");
  plugins->add_flag("--json", as_json, "Print JSON instead of a table");

  std::string dl_config, dl_action, dl_token;
  bool dl_json = false;
  auto* dead = app.add_subcommand("dead-letters", "List the records processors rejected for good, or replay them");
  dead->add_option("action", dl_action, "list | replay")->required()->check(CLI::IsMember({"list", "replay"}));
  dead->add_option("-c,--config", dl_config, "Pipeline YAML file")->required()->check(CLI::ExistingFile);
  dead->add_flag("--json", dl_json, "list: print JSON");
  dead->add_option("--token", dl_token, "replay: admin API bearer token")->envname("NEBULA_ADMIN_TOKEN");

  const OperatorTool tools[] = {add_test_command(app), add_graph_command(app), add_top_command(app),
                                add_tap_command(app)};

  CLI11_PARSE(app, argc, argv);
  for (const auto& tool : tools)
    if (*tool.command) return tool.run();
  if (*run) return run_command(run_config);
  if (*dead) return dead_letters_command(dl_config, dl_action, dl_json, dl_token);
  if (*validate) return validate_command(validate_config);
  return plugins_command(plugins_config, plugin_dirs, as_json);
}

}  // namespace nebula::host
