// The answer to a history query, newest first:
//   {"insights":[{"id","topic","source","timestamp","nodes":[..],"chains":[..],
//                 "insight":<the document>}, ...],
//    "next": <cursor for the following page, or null on the last page>}
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "history_request.hpp"

namespace nebula::sinks {

struct HistoryRow {
  int64_t id = 0;
  std::string topic;
  std::string source;
  double timestamp = 0;
  std::vector<std::string> nodes;
  std::vector<std::string> chains;
  std::string json;  // the insight as delivered
};

// A store fetches one row more than the page holds: that row only tells
// whether a next page exists.
inline size_t rows_to_fetch(const HistoryRequest& request) { return request.limit + 1; }

// `rows` newest first, as fetched (up to rows_to_fetch). Throws
// nebula::Error(NEBULA_IO, ...) when a stored document no longer parses.
nlohmann::json history_answer(const std::vector<HistoryRow>& rows, const HistoryRequest& request);

}  // namespace nebula::sinks
