// The nebula-pool subcommands. Each returns the process exit code.
#pragma once

#include <string>
#include <vector>

namespace nebula::host {

int run_command(const std::string& config_path);
int validate_command(const std::string& config_path);
// Lists plugins found in `dirs` (plus NEBULA_PLUGIN_PATH), or in the YAML's
// search paths when config_path is given.
int plugins_command(const std::string& config_path, const std::vector<std::string>& dirs, bool as_json);

// `action` is "list" or "replay"; token authenticates to the admin API.
int dead_letters_command(const std::string& config_path, const std::string& action, bool as_json,
                         const std::string& token);

int main_cli(int argc, char** argv);

}  // namespace nebula::host
