#include "webhook_body.hpp"

namespace nebula::sink::webhook {

std::string webhook_body(const std::vector<Insight>& batch) {
  auto insights = nlohmann::json::array();
  for (const auto& in : batch) {
    auto document = nlohmann::json::parse(in.json, nullptr, false);
    if (document.is_discarded())
      throw Error(NEBULA_INVALID, "insight on '" + std::string(in.topic) + "' from '" + std::string(in.source) +
                                      "' is not a JSON document");
    insights.push_back({{"topic", in.topic}, {"source", in.source}, {"timestamp", in.timestamp}, {"insight", std::move(document)}});
  }
  return nlohmann::json{{"insights", std::move(insights)}}.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace nebula::sink::webhook
