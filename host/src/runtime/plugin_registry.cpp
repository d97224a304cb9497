#include "runtime/plugin_registry.hpp"

#include "config/id_syntax.hpp"
#include "config/kind_wiring.hpp"

#include <dlfcn.h>
#include <sys/stat.h>

#include <algorithm>
#include <boost/dll/shared_library.hpp>
#include <cstdlib>
#include <filesystem>
#include <sstream>

namespace nebula::host {
namespace fs = std::filesystem;

namespace {

std::string accepted_range() {
  std::ostringstream s;
  s << "this host accepts ABI " << NEBULA_ABI_MAJOR << ".0 to " << NEBULA_ABI_MAJOR << "." << NEBULA_ABI_MINOR;
  return s.str();
}

// A plugin file or its folder writable by other users could be swapped for
// hostile code; refuse it rather than run it.
std::string check_permissions(const fs::path& file) {
  struct stat st {};
  for (const fs::path& p : {file, file.parent_path()}) {
    if (::stat(p.c_str(), &st) != 0) continue;
    if (st.st_mode & S_IWOTH)
      return p.string() + " is writable by other users; refusing to load (chmod o-w)";
  }
  return {};
}

std::string check_descriptor(const nebula_plugin_descriptor* d) {
  if (!d) return "null descriptor";
  if (d->struct_size < sizeof(nebula_plugin_descriptor)) return "descriptor struct_size is too small";
  if (!d->id) return "descriptor has no id";
  if (auto why = check_plugin_id(d->id); !why.empty()) return "descriptor id '" + std::string(d->id) + "': " + why;
  if (d->kind != NEBULA_KIND_TRANSPORT && d->kind != NEBULA_KIND_PROCESSOR && d->kind != NEBULA_KIND_AGENT &&
      d->kind != NEBULA_KIND_SINK)
    return "plugin '" + std::string(d->id) + "' has an unknown kind " + std::to_string(d->kind);
  if (!d->create || !d->destroy || !d->get_capability || !d->validate_config)
    return "plugin '" + std::string(d->id) + "' lacks a required function";
  const char* needed = d->kind == NEBULA_KIND_PROCESSOR ? NEBULA_CAP_PROCESSOR
                       : d->kind == NEBULA_KIND_AGENT   ? NEBULA_CAP_AGENT
                       : d->kind == NEBULA_KIND_SINK    ? NEBULA_CAP_SINK
                                                        : NEBULA_CAP_TRANSPORT_SERVER;
  if (!d->get_capability(needed))
    return "plugin '" + std::string(d->id) + "' is a " + kind_name(d->kind) + " but lacks capability " + needed;
  return {};
}

}  // namespace

std::string check_plugin_id(const std::string& id) {
  if (!is_valid_plugin_id(id))
    return "must be reverse-DNS: lower-case segments separated by dots, e.g. nebula.processor.pattern";
  return {};
}

std::vector<std::string> plugin_search_path(const std::vector<std::string>& configured) {
  std::vector<std::string> dirs = configured;
  if (const char* env = std::getenv("NEBULA_PLUGIN_PATH")) {
    std::stringstream s(env);
    std::string dir;
    while (std::getline(s, dir, ':'))
      if (!dir.empty()) dirs.push_back(fs::absolute(dir).lexically_normal().string());
  }
  return dirs;
}

void PluginRegistry::load_directories(const std::vector<std::string>& dirs) {
  for (const auto& dir : dirs) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) {
      errors_.push_back({dir, "plugin directory does not exist"});
      continue;
    }
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(dir, ec))
      if (entry.path().extension() == ".so") files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    for (const auto& f : files) load_file(f.string());
  }
}

bool PluginRegistry::load_file(const std::string& path) {
  auto refuse = [&](const std::string& why) {
    errors_.push_back({path, why});
    return false;
  };
  if (auto why = check_permissions(path); !why.empty()) return refuse(why);

  // Kept alive for the life of the process on purpose: never unloaded.
  static std::vector<boost::dll::shared_library>* libraries = new std::vector<boost::dll::shared_library>();
  boost::dll::shared_library lib;
  boost::system::error_code ec;
  lib.load(path, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local, ec);
  if (ec) {
    const char* detail = ::dlerror();
    return refuse("not a loadable shared library: " + (detail ? std::string(detail) : ec.message()));
  }
  if (!lib.has(NEBULA_ENTRY_SYMBOL))
    return refuse("no '" NEBULA_ENTRY_SYMBOL "' symbol: not a Nebula plugin (build it with nebula_add_plugin())");
  auto entry_fn = lib.get<const nebula_plugin_entry_t*(uint32_t, uint32_t)>(NEBULA_ENTRY_SYMBOL);
  const nebula_plugin_entry_t* entry = entry_fn(NEBULA_ABI_MAJOR, NEBULA_ABI_MINOR);
  if (!entry) return refuse("entry function returned null");
  if (entry->struct_size < sizeof(nebula_plugin_entry_t)) return refuse("entry struct_size is too small");
  const std::string abi = std::to_string(entry->abi_major) + "." + std::to_string(entry->abi_minor);
  if (entry->abi_major != NEBULA_ABI_MAJOR)
    return refuse("built for ABI " + abi + ", another major version; " + accepted_range());
  if (entry->abi_minor > NEBULA_ABI_MINOR)
    return refuse("built for ABI " + abi + ", newer than this host; " + accepted_range());

  bool any = false;
  for (size_t i = 0; i < entry->plugin_count; ++i) {
    const nebula_plugin_descriptor* d = entry->plugins[i];
    if (auto why = check_descriptor(d); !why.empty()) {
      refuse(why);
      continue;
    }
    if (auto it = plugins_.find(d->id); it != plugins_.end()) {
      refuse("plugin id '" + std::string(d->id) + "' is already provided by " + it->second.file + "; ignoring this copy");
      continue;
    }
    plugins_[d->id] = LoadedPlugin{d->id, path, entry->abi_major, entry->abi_minor, d};
    any = true;
  }
  if (entry->plugin_count == 0) refuse("library declares no plugins");
  libraries->push_back(std::move(lib));
  return any;
}

bool PluginRegistry::add_builtin(const nebula_plugin_descriptor* d, const std::string& origin) {
  if (auto why = check_descriptor(d); !why.empty()) {
    errors_.push_back({origin, why});
    return false;
  }
  if (auto it = plugins_.find(d->id); it != plugins_.end()) {
    errors_.push_back({origin, "plugin id '" + std::string(d->id) + "' is already provided by " + it->second.file});
    return false;
  }
  plugins_[d->id] = LoadedPlugin{d->id, origin, NEBULA_ABI_MAJOR, NEBULA_ABI_MINOR, d};
  return true;
}

const LoadedPlugin* PluginRegistry::find(const std::string& id) const {
  auto it = plugins_.find(id);
  return it == plugins_.end() ? nullptr : &it->second;
}

std::vector<const LoadedPlugin*> PluginRegistry::all() const {
  std::vector<const LoadedPlugin*> out;
  for (auto& [id, p] : plugins_) out.push_back(&p);
  return out;
}

}  // namespace nebula::host
