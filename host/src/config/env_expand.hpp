// ${VAR} expansion of one YAML scalar value.
//
//   ${VAR}            the variable; an error when it is unset (set-but-empty is fine)
//   ${VAR:-default}   the variable, or `default` when unset or empty; the
//                     default may itself contain ${...}
//   ${VAR:?message}   the variable; an error "VAR: message" when unset or empty
//   $${               a literal "${" (no expansion)
// Any other '$' is kept as written, so "$HOME" and "cost: 5$" pass through.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "config/pipeline_config.hpp"

namespace nebula::host {

struct EnvExpansion {
  std::string text;                 // best effort when errors is non-empty
  std::vector<std::string> errors;  // one message per failed reference
};

EnvExpansion expand_env(std::string_view text, const EnvLookup& env);

}  // namespace nebula::host
