// Types a plain (unquoted) YAML scalar the way the YAML 1.2 core schema does:
// null, true/false, integers (decimal, 0x hex, 0o octal; beyond 64 bits they
// stay text rather than lose digits), floats, else string.
// YAML 1.1 words such as yes/no/on/off stay strings, so `country: NO` is not
// silently turned into false.
#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

namespace nebula::host {

nlohmann::json typed_plain_scalar(std::string_view text);

}  // namespace nebula::host
