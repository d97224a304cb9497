// Finds a transport plugin's client capability by plugin id: scans *.so files
// in the plugin dirs, dlopen()s them RTLD_NOW | RTLD_LOCAL (never closed, as
// the host does) and checks the ABI and descriptor rules.
#pragma once

#include <string>
#include <vector>

#include "nebula/nebula_plugin.h"

namespace nebula::node {

struct TransportPlugin {
  std::string id;
  std::string file;
  const nebula_transport_client_v1* client = nullptr;  // static storage in the plugin
};

// [thread-safe] Files whose name contains the id's last segment
// ("nebula.transport.http" -> "*http*.so") are tried first, so finding a
// transport rarely opens unrelated (e.g. libtorch-based) plugins. Throws
// std::runtime_error naming the dirs searched and why each candidate failed.
TransportPlugin find_transport_plugin(const std::string& id, const std::vector<std::string>& dirs);

}  // namespace nebula::node
