// The nebula-pool subcommands. Each returns the process exit code.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace nebula::host {

int run_command(const std::string& config_path);
int validate_command(const std::string& config_path);
// Lists plugins found in `dirs` (plus NEBULA_PLUGIN_PATH), or in the YAML's
// search paths when config_path is given.
int plugins_command(const std::string& config_path, const std::vector<std::string>& dirs, bool as_json);

// `action` is "list" or "replay"; token authenticates to the admin API.
int dead_letters_command(const std::string& config_path, const std::string& action, bool as_json,
                         const std::string& token);

// Operator tools (#18): each adds its subcommand and options to the app and
// returns what runs it once chosen (pipeline_test_command.cpp,
// graph_command.cpp, top_command.cpp, tap_command.cpp).
struct OperatorTool {
  CLI::App* command = nullptr;
  std::function<int()> run;
};
OperatorTool add_test_command(CLI::App& app);
OperatorTool add_graph_command(CLI::App& app);
OperatorTool add_top_command(CLI::App& app);
OperatorTool add_tap_command(CLI::App& app);

int main_cli(int argc, char** argv);

}  // namespace nebula::host
