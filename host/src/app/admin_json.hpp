// JSON answers of the admin API.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "http/http_server.hpp"

namespace nebula::host {

inline http::Response admin_json(int status, const nlohmann::json& body) {
  http::Response r;
  r.status = status;
  r.body = body.dump();
  return r;
}

inline http::Response admin_error(int status, const std::string& message) {
  return admin_json(status, {{"error", message}});
}

}  // namespace nebula::host
