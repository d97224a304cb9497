#include "plugin_loader.hpp"

#include <dlfcn.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <mutex>
#include <stdexcept>

namespace nebula::node {

namespace fs = std::filesystem;

namespace {

// What one library file offers, cached for the process: a file is opened once.
struct LoadedFile {
  std::string error;  // why it is unusable; empty when usable
  std::vector<const nebula_plugin_descriptor*> transports;
};

std::mutex g_mu;
std::map<std::string, LoadedFile>& cache() {
  static auto* files = new std::map<std::string, LoadedFile>();  // leaked: plugins are never unloaded
  return *files;
}

LoadedFile open_library(const std::string& path) {
  LoadedFile out;
  void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    const char* why = ::dlerror();
    out.error = std::string("not loadable: ") + (why ? why : "unknown dlopen error");
    return out;
  }
  auto fn = reinterpret_cast<nebula_plugin_entry_fn>(::dlsym(handle, NEBULA_ENTRY_SYMBOL));
  if (!fn) {
    out.error = "no " NEBULA_ENTRY_SYMBOL " symbol";
    return out;
  }
  const nebula_plugin_entry_t* entry = fn(NEBULA_ABI_MAJOR, NEBULA_ABI_MINOR);
  if (!entry || entry->struct_size < sizeof(nebula_plugin_entry_t)) {
    out.error = "entry returned null or a too small struct";
    return out;
  }
  if (entry->abi_major != NEBULA_ABI_MAJOR || entry->abi_minor > NEBULA_ABI_MINOR) {
    out.error = "built for ABI " + std::to_string(entry->abi_major) + "." + std::to_string(entry->abi_minor) +
                "; this library accepts " + std::to_string(NEBULA_ABI_MAJOR) + ".0 to " +
                std::to_string(NEBULA_ABI_MAJOR) + "." + std::to_string(NEBULA_ABI_MINOR);
    return out;
  }
  for (size_t i = 0; i < entry->plugin_count; ++i) {
    const nebula_plugin_descriptor* d = entry->plugins[i];
    if (d && d->struct_size >= sizeof(nebula_plugin_descriptor) && d->id && d->kind == NEBULA_KIND_TRANSPORT &&
        d->get_capability)
      out.transports.push_back(d);
  }
  return out;
}

const LoadedFile& loaded(const std::string& path) {
  auto& files = cache();
  auto it = files.find(path);
  if (it == files.end()) it = files.emplace(path, open_library(path)).first;
  return it->second;
}

std::string last_segment(const std::string& id) {
  const auto dot = id.rfind('.');
  return dot == std::string::npos ? id : id.substr(dot + 1);
}

}  // namespace

TransportPlugin find_transport_plugin(const std::string& id, const std::vector<std::string>& dirs) {
  std::vector<fs::path> likely, others;
  const std::string hint = last_segment(id);
  for (const auto& dir : dirs) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) continue;
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(dir, ec))
      if (entry.path().extension() == ".so") files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    for (auto& f : files) (f.filename().string().find(hint) != std::string::npos ? likely : others).push_back(f);
  }
  likely.insert(likely.end(), others.begin(), others.end());

  std::lock_guard lock(g_mu);
  std::string problems;
  for (const auto& file : likely) {
    const LoadedFile& lib = loaded(file.string());
    if (!lib.error.empty()) {
      problems += "\n  " + file.string() + ": " + lib.error;
      continue;
    }
    for (const nebula_plugin_descriptor* d : lib.transports) {
      if (id != d->id) continue;
      auto* client = static_cast<const nebula_transport_client_v1*>(d->get_capability(NEBULA_CAP_TRANSPORT_CLIENT));
      if (!client || client->struct_size < sizeof(nebula_transport_client_v1) || !client->client_create ||
          !client->deliver || !client->client_destroy)
        throw std::runtime_error("transport plugin '" + id + "' in " + file.string() +
                                 " has no usable client capability (" NEBULA_CAP_TRANSPORT_CLIENT ")");
      return TransportPlugin{id, file.string(), client};
    }
  }
  std::string searched;
  for (const auto& d : dirs) searched += (searched.empty() ? "" : ", ") + d;
  throw std::runtime_error("transport plugin '" + id + "' not found in [" + searched +
                           "] (set plugin_dir(s) or NEBULA_PLUGIN_PATH)" + problems);
}

}  // namespace nebula::node
