#include "nebula_processors/json_state_file.hpp"

#include <nebula/atomic_file.hpp>

namespace nebula::processors {

LoadReport load_json_state(const std::filesystem::path& file, const std::function<void(const nlohmann::json&)>& apply) {
  try {
    const auto text = read_file(file);
    if (!text) return {LoadReport::kMissing, ""};
    apply(nlohmann::json::parse(*text));
    return {LoadReport::kLoaded, ""};
  } catch (const std::exception& e) {
    std::error_code ec;
    std::filesystem::rename(file, file.string() + ".corrupt", ec);
    return {LoadReport::kDamaged, e.what()};
  }
}

void save_json_state(const std::filesystem::path& file, const nlohmann::json& doc, int indent) {
  write_file_atomically(file, doc.dump(indent));
}

}  // namespace nebula::processors
