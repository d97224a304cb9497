// A processor's state kept as one JSON file in its instance's state dir:
// saved atomically, and a damaged file never stops the start.
#pragma once

#include <filesystem>
#include <functional>
#include <string>

#include <nlohmann/json.hpp>

namespace nebula::processors {

struct LoadReport {
  enum Status { kMissing, kLoaded, kDamaged } status = kMissing;
  std::string message;  // what was wrong, for kDamaged
};

// Parses `file` and hands the document to `apply`. When reading, parsing or
// `apply` throws, the file is moved aside to "<file>.corrupt" so the next
// save does not erase the evidence; `apply` must then leave its target as it
// was (fresh).
LoadReport load_json_state(const std::filesystem::path& file, const std::function<void(const nlohmann::json&)>& apply);

// Atomic (temp + fsync + rename); `indent` as nlohmann::json::dump.
// Throws std::runtime_error on I/O errors.
void save_json_state(const std::filesystem::path& file, const nlohmann::json& doc, int indent = -1);

}  // namespace nebula::processors
