// Finds and loads plugin libraries (Boost.DLL, RTLD_NOW | RTLD_LOCAL) and
// indexes their descriptors by id. Libraries are never unloaded: libtorch
// and friends do not survive dlclose, and descriptors are static storage.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config/kind_wiring.hpp"
#include "nebula/nebula_plugin.h"

namespace nebula::host {

struct LoadedPlugin {
  std::string id;
  std::string file;
  uint32_t abi_major = 0;
  uint32_t abi_minor = 0;
  const nebula_plugin_descriptor* descriptor = nullptr;
};

struct PluginLoadError {
  std::string file;
  std::string message;  // says what is wrong and what the host accepts
};

// kind_name() comes from config/kind_wiring.hpp.

class PluginRegistry {
 public:
  // Loads every *.so in each directory (in order; a later duplicate id is
  // refused with an error naming both files). Bad libraries become errors;
  // loading never throws and never aborts the host.
  void load_directories(const std::vector<std::string>& dirs);
  // Loads one library file; returns false (and records an error) if refused.
  bool load_file(const std::string& path);
  // Adds a plugin compiled into the host itself (static storage; `origin`
  // stands for the file in listings), checked like a loaded one. Used by
  // `nebula-pool test` for the feed that stands in for transports.
  bool add_builtin(const nebula_plugin_descriptor* descriptor, const std::string& origin);

  const LoadedPlugin* find(const std::string& id) const;
  std::vector<const LoadedPlugin*> all() const;
  const std::vector<PluginLoadError>& errors() const { return errors_; }

 private:
  std::map<std::string, LoadedPlugin> plugins_;
  std::vector<PluginLoadError> errors_;
};

// Directories from NEBULA_PLUGIN_PATH (colon-separated), after `configured`.
std::vector<std::string> plugin_search_path(const std::vector<std::string>& configured);

// "" when the id is a valid reverse-DNS plugin id, else why not.
std::string check_plugin_id(const std::string& id);

}  // namespace nebula::host
