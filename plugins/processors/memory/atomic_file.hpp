// Atomic state-file writes live in the SDK (nebula/atomic_file.hpp), shared
// by every plugin that persists state.
#pragma once

#include <nebula/atomic_file.hpp>

namespace nebula::memory {
using nebula::read_file;
using nebula::write_file_atomically;
}  // namespace nebula::memory
