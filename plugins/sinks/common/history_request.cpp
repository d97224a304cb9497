#include "history_request.hpp"

#include <cmath>
#include <array>
#include <string_view>
#include <vector>

#include <nebula/host.hpp>

#include "history_cursor.hpp"

namespace nebula::sinks {
namespace {

constexpr size_t kMaxFilterBytes = 256;
constexpr std::array<std::string_view, 7> kFields = {"topic", "node_id", "chain_id", "since",
                                                    "until", "after",   "limit"};

class Problems {
 public:
  void add(std::string_view field, const std::string& message) {
    text_ += text_.empty() ? "" : "; ";
    text_ += std::string(field) + ": " + message;
  }
  void throw_if_any() const {
    if (!text_.empty()) throw Error(NEBULA_INVALID, text_);
  }

 private:
  std::string text_;
};

const nlohmann::json* present(const nlohmann::json& request, std::string_view field) {
  auto it = request.find(field);
  return it == request.end() || it->is_null() ? nullptr : &*it;
}

std::optional<std::string> filter(const nlohmann::json& request, std::string_view field, Problems& problems) {
  const auto* v = present(request, field);
  if (!v) return std::nullopt;
  if (!v->is_string()) problems.add(field, "must be a string, got " + v->dump());
  else if (v->get_ref<const std::string&>().empty()) problems.add(field, "must not be empty (leave it out to match all)");
  else if (v->get_ref<const std::string&>().size() > kMaxFilterBytes)
    problems.add(field, "must be at most " + std::to_string(kMaxFilterBytes) + " bytes");
  else return v->get<std::string>();
  return std::nullopt;
}

std::optional<double> epoch_seconds(const nlohmann::json& request, std::string_view field, Problems& problems) {
  const auto* v = present(request, field);
  if (!v) return std::nullopt;
  if (!v->is_number()) problems.add(field, "must be a number of seconds since the epoch, got " + v->dump());
  else if (v->get<double>() < 0 || !std::isfinite(v->get<double>()))
    problems.add(field, "must be seconds since the epoch (0 or more), got " + v->dump());
  else return v->get<double>();
  return std::nullopt;
}

size_t page_limit(const nlohmann::json& request, Problems& problems) {
  const auto* v = present(request, "limit");
  if (!v) return kDefaultHistoryLimit;
  const std::string wanted = "must be a whole number from 1 to " + std::to_string(kMaxHistoryLimit);
  if (!v->is_number()) {
    problems.add("limit", wanted + ", got " + v->dump());
    return kDefaultHistoryLimit;
  }
  const double d = v->get<double>();
  if (d < 1 || d > static_cast<double>(kMaxHistoryLimit) || d != std::floor(d)) {
    problems.add("limit", wanted + ", got " + v->dump());
    return kDefaultHistoryLimit;
  }
  return static_cast<size_t>(d);
}

std::optional<int64_t> after_cursor(const nlohmann::json& request, Problems& problems) {
  const auto* v = present(request, "after");
  if (!v) return std::nullopt;
  std::optional<int64_t> id = v->is_string() ? decode_cursor(v->get_ref<const std::string&>()) : std::nullopt;
  if (!id) problems.add("after", "must be the \"next\" cursor of a previous answer, got " + v->dump());
  return id;
}

}  // namespace

HistoryRequest parse_history_request(const nlohmann::json& request) {
  if (!request.is_object()) throw Error(NEBULA_INVALID, "the history request must be a JSON object, got " + request.dump());
  Problems problems;
  for (auto it = request.begin(); it != request.end(); ++it) {
    bool known = false;
    for (std::string_view f : kFields) known = known || it.key() == f;
    if (!known)
      problems.add(it.key(), "unknown field (known: topic, node_id, chain_id, since, until, after, limit)");
  }
  HistoryRequest r;
  r.topic = filter(request, "topic", problems);
  r.node_id = filter(request, "node_id", problems);
  r.chain_id = filter(request, "chain_id", problems);
  r.since = epoch_seconds(request, "since", problems);
  r.until = epoch_seconds(request, "until", problems);
  if (r.since && r.until && *r.since >= *r.until)
    problems.add("until", "must be after since (the window is since <= timestamp < until), got since " +
                              nlohmann::json(*r.since).dump() + " and until " + nlohmann::json(*r.until).dump());
  r.after_id = after_cursor(request, problems);
  r.limit = page_limit(request, problems);
  problems.throw_if_any();
  return r;
}

}  // namespace nebula::sinks
