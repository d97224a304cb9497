// The web console's files (host/console/), compiled into nebula-pool at
// build time (host/console/embed.cmake writes console_assets.cpp), so an
// installed pool serves them without any file beside the binary.
#pragma once

#include <cstddef>
#include <span>
#include <string_view>

namespace nebula::host {

struct ConsoleAsset {
  std::string_view name;  // file name in host/console/, e.g. "console.js"
  std::string_view bytes;
};

std::span<const ConsoleAsset> console_assets();

}  // namespace nebula::host
