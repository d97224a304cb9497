#include "state_store.hpp"

#include "atomic_file.hpp"

namespace nebula::memory {

LoadReport load_state(const std::filesystem::path& file, Consolidator& into) {
  try {
    const auto text = read_file(file);
    if (!text) return {LoadReport::kMissing, ""};
    into.from_json(nlohmann::json::parse(*text));
    return {LoadReport::kLoaded, ""};
  } catch (const std::exception& e) {
    std::error_code ec;
    std::filesystem::rename(file, file.string() + ".corrupt", ec);
    return {LoadReport::kDamaged, e.what()};
  }
}

void save_state(const std::filesystem::path& file, const Consolidator& from) {
  write_file_atomically(file, from.to_json().dump());
}

}  // namespace nebula::memory
