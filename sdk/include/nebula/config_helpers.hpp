// Small helpers for reading and checking a plugin's JSON config with
// errors that point at the offending key (JSON pointer), so the host can
// report them as file:line:col.
#pragma once

#include <initializer_list>
#include <string>

#include <nlohmann/json.hpp>

#include "nebula/host.hpp"

namespace nebula::config {

// Prints 5 as "5" and 0.5 as "0.5" in messages.
inline std::string format_number(double v) {
  if (v == static_cast<double>(static_cast<long long>(v))) return std::to_string(static_cast<long long>(v));
  return nlohmann::json(v).dump();
}

// Reports keys of `cfg` that are not in `known` (typos must not pass silently).
inline void reject_unknown_keys(const nlohmann::json& cfg, std::initializer_list<const char*> known,
                                ConfigErrors& errors, const std::string& prefix = "") {
  if (!cfg.is_object()) return;
  for (auto it = cfg.begin(); it != cfg.end(); ++it) {
    bool ok = false;
    for (const char* k : known) ok = ok || it.key() == k;
    if (!ok) {
      std::string list;
      for (const char* k : known) list += std::string(list.empty() ? "" : ", ") + k;
      errors.add(prefix + "/" + it.key(), "unknown key '" + it.key() + "' (known: " + list + ")");
    }
  }
}

// Reads a number in [lo, hi]; records an error and returns `def` otherwise.
inline double number(const nlohmann::json& cfg, const char* key, double def, double lo, double hi,
                     ConfigErrors* errors = nullptr, const std::string& prefix = "") {
  if (!cfg.is_object() || !cfg.contains(key)) return def;
  const auto& v = cfg.at(key);
  if (!v.is_number()) {
    if (errors) errors->add(prefix + "/" + key, "must be a number");
    return def;
  }
  double d = v.get<double>();
  if (d < lo || d > hi) {
    if (errors)
      errors->add(prefix + "/" + key,
                  "must be between " + format_number(lo) + " and " + format_number(hi) + ", got " + v.dump());
    return def;
  }
  return d;
}

inline std::string text(const nlohmann::json& cfg, const char* key, const std::string& def,
                        ConfigErrors* errors = nullptr, const std::string& prefix = "") {
  if (!cfg.is_object() || !cfg.contains(key)) return def;
  const auto& v = cfg.at(key);
  if (!v.is_string()) {
    if (errors) errors->add(prefix + "/" + key, "must be a string");
    return def;
  }
  return v.get<std::string>();
}

inline bool flag(const nlohmann::json& cfg, const char* key, bool def, ConfigErrors* errors = nullptr,
                 const std::string& prefix = "") {
  if (!cfg.is_object() || !cfg.contains(key)) return def;
  const auto& v = cfg.at(key);
  if (!v.is_boolean()) {
    if (errors) errors->add(prefix + "/" + key, "must be true or false");
    return def;
  }
  return v.get<bool>();
}

}  // namespace nebula::config
