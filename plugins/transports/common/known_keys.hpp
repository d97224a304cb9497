// The unknown-key check of a transport config whose keys come in two parts:
// those a shared reader (listener_settings, client_settings) reads and the
// transport's own. config::reject_unknown_keys takes one literal list, which
// would make every transport repeat the shared keys.
#pragma once

#include <initializer_list>
#include <span>

#include <nlohmann/json.hpp>

#include <nebula/host.hpp>

namespace nebula::transport {

// Records "/<key>: unknown key '<key>' (known: <shared>, <own>)" for each key
// of `cfg` in neither list (a typo must not pass silently).
void reject_keys_outside(const nlohmann::json& cfg, std::span<const char* const> shared_keys,
                         std::initializer_list<const char*> own_keys, ConfigErrors& errors);

}  // namespace nebula::transport
