// GET on a pool's admin API, as JSON, for tests that poll it.
#pragma once

#include <exception>
#include <string>

#include <nlohmann/json.hpp>

#include "nebula_test/http_client.hpp"

namespace nebula_test {

// The answer's JSON; null while the pool does not answer 200 (not up yet,
// restarting, refusing the token), so a wait_until can poll it. `token`: the
// admin API's bearer token, when it has one.
inline nlohmann::json admin_get(unsigned short port, const std::string& target, const std::string& token = "") {
  try {
    const auto r = http_request("127.0.0.1", port, "GET", target, "",
                                token.empty() ? std::map<std::string, std::string>{}
                                              : std::map<std::string, std::string>{{"Authorization", "Bearer " + token}});
    return r.status == 200 ? nlohmann::json::parse(r.body, nullptr, false) : nlohmann::json();
  } catch (const std::exception&) {
    return nullptr;
  }
}

}  // namespace nebula_test
