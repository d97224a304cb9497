#include "known_keys.hpp"

#include <algorithm>
#include <string>

namespace nebula::transport {

void reject_keys_outside(const nlohmann::json& cfg, std::span<const char* const> shared_keys,
                         std::initializer_list<const char*> own_keys, ConfigErrors& errors) {
  if (!cfg.is_object()) return;
  for (auto it = cfg.begin(); it != cfg.end(); ++it) {
    const std::string& key = it.key();
    auto named = [&key](const char* k) { return key == k; };
    if (std::ranges::any_of(shared_keys, named) || std::ranges::any_of(own_keys, named)) continue;
    std::string known;
    for (const char* k : shared_keys) known += std::string(known.empty() ? "" : ", ") + k;
    for (const char* k : own_keys) known += std::string(", ") + k;
    errors.add("/" + key, "unknown key '" + key + "' (known: " + known + ")");
  }
}

}  // namespace nebula::transport
