#include "alertmanager_api.hpp"

#include <nlohmann/json.hpp>

#include <nebula/host.hpp>

namespace nebula::alertmanager {

sinks::HttpUrl alerts_endpoint(std::string_view url) {
  sinks::HttpUrl endpoint = sinks::parse_http_url(url);
  if (endpoint.path.find('?') != std::string::npos)
    throw Error(NEBULA_INVALID, "endpoint '" + std::string(url) + "': must not carry a query");
  while (endpoint.path.ends_with('/')) endpoint.path.pop_back();
  endpoint.path += "/api/v2/alerts";
  return endpoint;
}

std::string alertmanager_message(std::string_view body) {
  const auto doc = nlohmann::json::parse(body, nullptr, false);
  if (doc.is_string()) return doc.get<std::string>();
  if (doc.is_object() && doc.contains("message") && doc["message"].is_string()) return doc["message"].get<std::string>();
  return std::string(body);
}

}  // namespace nebula::alertmanager
