#include "history_answer.hpp"

#include <nebula/host.hpp>

#include "history_cursor.hpp"

namespace nebula::sinks {

nlohmann::json history_answer(const std::vector<HistoryRow>& rows, const HistoryRequest& request) {
  const bool more = rows.size() > request.limit;
  const size_t count = more ? request.limit : rows.size();
  auto insights = nlohmann::json::array();
  for (size_t i = 0; i < count; ++i) {
    const HistoryRow& row = rows[i];
    auto doc = nlohmann::json::parse(row.json, nullptr, false);
    if (doc.is_discarded())
      throw Error(NEBULA_IO, "stored insight " + std::to_string(row.id) + " is damaged: its JSON no longer parses");
    insights.push_back({{"id", row.id},
                        {"topic", row.topic},
                        {"source", row.source},
                        {"timestamp", row.timestamp},
                        {"nodes", row.nodes},
                        {"chains", row.chains},
                        {"insight", std::move(doc)}});
  }
  nlohmann::json next = more ? nlohmann::json(encode_cursor(rows[count - 1].id)) : nlohmann::json(nullptr);
  return {{"insights", std::move(insights)}, {"next", std::move(next)}};
}

}  // namespace nebula::sinks
