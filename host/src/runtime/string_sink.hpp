// A byte sink (nebula_sink) that appends to a std::string: how the host
// collects what a plugin writes for a query, stats or describe call.
#pragma once

#include <string>

#include "nebula/nebula_plugin.h"

namespace nebula::host {

inline nebula_status append_to_string(void* ctx, const void* data, size_t len) {
  static_cast<std::string*>(ctx)->append(static_cast<const char*>(data), len);
  return NEBULA_OK;
}

// Borrows `text` for as long as the sink is used.
inline nebula_sink string_sink(std::string& text) { return nebula_sink{&text, &append_to_string}; }

}  // namespace nebula::host
