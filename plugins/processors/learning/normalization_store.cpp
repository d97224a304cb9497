#include "normalization_store.hpp"

#include "atomic_file.hpp"

namespace nebula::learning {

LoadReport load_normalizer(const std::filesystem::path& file, Normalizer& into) {
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

void save_normalizer(const std::filesystem::path& file, const Normalizer& from) {
  write_file_atomically(file, from.to_json().dump(1));
}

}  // namespace nebula::learning
