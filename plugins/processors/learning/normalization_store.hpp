// Keeps the normalisation scales in the instance's state dir so they stay
// stable across restarts (the agents' models depend on them).
#pragma once

#include <filesystem>
#include <string>

#include "normalizer.hpp"

namespace nebula::learning {

inline constexpr const char* kNormalizationFile = "learning_normalization.json";

struct LoadReport {
  enum Status { kMissing, kLoaded, kDamaged } status = kMissing;
  std::string message;  // what was wrong, for kDamaged
};

// A damaged file leaves `into` untouched (fresh) and is moved aside to
// "<file>.corrupt" so the next save does not erase the evidence.
LoadReport load_normalizer(const std::filesystem::path& file, Normalizer& into);

// Atomic (temp + fsync + rename). Throws std::runtime_error on I/O errors.
void save_normalizer(const std::filesystem::path& file, const Normalizer& from);

}  // namespace nebula::learning
