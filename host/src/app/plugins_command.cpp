#include <filesystem>
#include <iomanip>
#include <iostream>

#include <nlohmann/json.hpp>

#include "app/commands.hpp"
#include "app/pipeline_loader.hpp"

namespace nebula::host {

nlohmann::json describe_plugin(const LoadedPlugin& p);

int plugins_command(const std::string& config_path, const std::vector<std::string>& dirs, bool as_json) {
  PluginRegistry registry;
  std::vector<std::string> search;
  if (!config_path.empty()) search = parse_pipeline(config_path).config.plugin_paths;
  for (const auto& d : dirs) search.push_back(std::filesystem::absolute(d).lexically_normal().string());
  const std::vector<std::string> searched = plugin_directories(search);
  registry.load_directories(searched);

  if (as_json) {
    nlohmann::json out{{"plugins", nlohmann::json::array()}, {"refused", nlohmann::json::array()}};
    for (const auto* p : registry.all()) out["plugins"].push_back(describe_plugin(*p));
    for (const auto& e : registry.errors()) out["refused"].push_back({{"file", e.file}, {"error", e.message}});
    std::cout << out.dump(2) << "\n";
  } else {
    std::cout << std::left << std::setw(40) << "ID" << std::setw(11) << "KIND" << std::setw(9) << "VERSION"
              << std::setw(6) << "ABI" << "FILE\n";
    for (const auto* p : registry.all())
      std::cout << std::setw(40) << p->id << std::setw(11) << kind_name(p->descriptor->kind) << std::setw(9)
                << p->descriptor->version << std::setw(6)
                << (std::to_string(p->abi_major) + "." + std::to_string(p->abi_minor)) << p->file << "\n";
    for (const auto& e : registry.errors()) std::cerr << "refused " << e.file << ": " << e.message << "\n";
  }
  if (searched.empty()) std::cerr << "no plugin directories given (use -d DIR, -c FILE or NEBULA_PLUGIN_PATH)\n";
  return registry.all().empty() ? 1 : 0;
}

}  // namespace nebula::host
