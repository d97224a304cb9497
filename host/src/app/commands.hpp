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

int main_cli(int argc, char** argv);

}  // namespace nebula::host
