// Agent checkpoints on disk: written to a temp file, fsync'd, then renamed
// over the old one, so a crash leaves either the old or the new checkpoint,
// never a torn one.
#pragma once

#include <functional>
#include <string>

#include "nebula/nebula_plugin.h"

namespace nebula::host {

// Calls write(sink) and atomically replaces `path`. Returns "" or the error.
std::string write_checkpoint(const std::string& path, const std::function<nebula_status(const nebula_sink*)>& write);

// Calls read(source) on `path`. Returns "" or the error; `missing` set when
// there is no checkpoint at all.
std::string read_checkpoint(const std::string& path, const std::function<nebula_status(const nebula_source*)>& read,
                            bool& missing);

}  // namespace nebula::host
