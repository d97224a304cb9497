#include "insight_line.hpp"

namespace nebula::sink::file {

std::string insight_line(const Insight& insight) {
  auto document = nlohmann::json::parse(insight.json, nullptr, false);
  if (document.is_discarded())
    throw Error(NEBULA_INVALID, "insight on '" + std::string(insight.topic) + "' from '" + std::string(insight.source) +
                                    "' is not a JSON document");
  nlohmann::json line{{"topic", insight.topic},
                      {"source", insight.source},
                      {"timestamp", insight.timestamp},
                      {"insight", std::move(document)}};
  // Invalid UTF-8 in a string is replaced rather than failing the whole line.
  return line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + '\n';
}

}  // namespace nebula::sink::file
