// Whole-number settings of a transport's JSON config (ports, byte counts,
// timeouts): like nebula::config::number, but fractions are refused.
#pragma once

#include <cstdint>

#include <nlohmann/json.hpp>

#include <nebula/host.hpp>

namespace nebula::transport {

// cfg[key] in [lo, hi], else `def` with "/<key>: ..." recorded in `errors`.
uint64_t whole_number(const nlohmann::json& cfg, const char* key, uint64_t def, uint64_t lo, uint64_t hi,
                      ConfigErrors& errors);

}  // namespace nebula::transport
