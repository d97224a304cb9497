#include "config_integer.hpp"

#include <cmath>
#include <string>

namespace nebula::transport {

uint64_t whole_number(const nlohmann::json& cfg, const char* key, uint64_t def, uint64_t lo, uint64_t hi,
                      ConfigErrors& errors) {
  if (!cfg.contains(key)) return def;
  const auto& v = cfg.at(key);
  if (!v.is_number() || std::floor(v.get<double>()) != v.get<double>()) {
    errors.add(std::string("/") + key, "must be a whole number");
    return def;
  }
  double d = v.get<double>();
  if (d < static_cast<double>(lo) || d > static_cast<double>(hi)) {
    errors.add(std::string("/") + key, "must be between " + std::to_string(lo) + " and " + std::to_string(hi) +
                                           ", got " + v.dump());
    return def;
  }
  return static_cast<uint64_t>(d);
}

}  // namespace nebula::transport
