// Keeps the consolidator's memory in the instance's state dir so a restart
// does not forget: atomic saves, and a damaged file never stops the start.
#pragma once

#include <filesystem>
#include <string>

#include "consolidator.hpp"

namespace nebula::memory {

inline constexpr const char* kStateFile = "memory_state.json";

struct LoadReport {
  enum Status { kMissing, kLoaded, kDamaged } status = kMissing;
  std::string message;  // what was wrong, for kDamaged
};

// A damaged file leaves `into` fresh and is moved aside to "<file>.corrupt"
// so the next save does not erase the evidence.
LoadReport load_state(const std::filesystem::path& file, Consolidator& into);

// Atomic (temp + fsync + rename). Throws std::runtime_error on I/O errors.
void save_state(const std::filesystem::path& file, const Consolidator& from);

}  // namespace nebula::memory
