// Whole-number settings of a plugin's JSON config (counts, caps, ports, byte
// sizes, milliseconds): like config::number, but a fraction is refused too.
// The one reader every plugin kind uses, so the same mistake gets the same
// message everywhere.
#pragma once

#include <cmath>
#include <concepts>
#include <string>

#include <nlohmann/json.hpp>

#include "nebula/config_helpers.hpp"
#include "nebula/host.hpp"

namespace nebula::config {

// cfg[key] when it is a number in [lo, hi] without a fraction; else `def`,
// with "<prefix>/<key>: must be a number" / "must be between lo and hi, got v"
// / "must be a whole number, got v" recorded in `errors` (when given).
// The result has the type of `def`; keep [lo, hi] inside that type's range.
template <std::integral Whole>
Whole whole_number(const nlohmann::json& cfg, const char* key, Whole def, double lo, double hi,
                   ConfigErrors* errors = nullptr, const std::string& prefix = "") {
  if (!cfg.is_object() || !cfg.contains(key)) return def;
  const double v = number(cfg, key, std::nan(""), lo, hi, errors, prefix);
  if (std::isnan(v)) return def;  // not a number or out of range: reported by number()
  if (v != std::floor(v)) {
    if (errors) errors->add(prefix + "/" + key, "must be a whole number, got " + cfg.at(key).dump());
    return def;
  }
  return static_cast<Whole>(v);
}

}  // namespace nebula::config
