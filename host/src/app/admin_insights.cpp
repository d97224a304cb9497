// GET /api/v1/pool/insights: insight history from the first sink that keeps
// it (e.g. nebula.sink.sqlite: filters by topic, node, chain and time, paged
// by cursor, survives restarts), else the newest ones held in memory (a
// ring per topic, topic and limit only; the answer says which it is). A
// topic the history sink does not keep is answered from memory too.
#include <algorithm>
#include <limits>

#include "app/admin_api.hpp"
#include "app/admin_json.hpp"

namespace nebula::host {
namespace {

const char* const kHistoryOnly[] = {"node_id", "chain_id", "since", "until", "after"};

// The query string as the sink's history request, or an error message.
std::optional<std::string> history_request(const http::Request& req, nlohmann::json& out) {
  out = nlohmann::json::object();
  for (const char* key : {"topic", "node_id", "chain_id", "after"})
    if (req.query.count(key)) out[key] = req.query.at(key);
  for (const char* key : {"since", "until"}) {
    if (!req.query.count(key)) continue;
    try {
      size_t used = 0;
      const double seconds = std::stod(req.query.at(key), &used);
      if (used != req.query.at(key).size()) throw std::invalid_argument(key);
      out[key] = seconds;
    } catch (const std::exception&) {
      return std::string(key) + " must be a number of seconds since the Unix epoch";
    }
  }
  if (req.query.count("limit")) {
    try {
      size_t used = 0;
      const long limit = std::stol(req.query.at("limit"), &used);
      if (used != req.query.at("limit").size() || limit < 1 || limit > 1000) throw std::out_of_range("limit");
      out["limit"] = limit;
    } catch (const std::exception&) {
      return "limit must be an integer between 1 and 1000";
    }
  }
  return std::nullopt;
}

}  // namespace

// One insight as both answers (and the tap) list it: the document under
// "data" (its text when it is not JSON, so nothing is hidden).
nlohmann::json insight_item(const OwnedInsight& in) {
  auto data = nlohmann::json::parse(in.json, nullptr, false);
  return {{"topic", in.topic},
          {"source", in.source},
          {"timestamp", in.timestamp},
          {"sequence", in.sequence},
          {"data", data.is_discarded() ? nlohmann::json(in.json) : data}};
}

namespace {

http::Response from_history(SinkWorker& sink, const nlohmann::json& request) {
  std::string answer, why;
  const nebula_status st = sink.query(request.dump(), answer, why);
  if (st == NEBULA_INVALID) return admin_error(400, why);
  if (st != NEBULA_OK) return admin_error(503, "history sink '" + sink.component().id() + "' failed: " + why);
  nlohmann::json body = nlohmann::json::parse(answer, nullptr, false);
  if (body.is_discarded() || !body.is_object() || !body.contains("insights"))
    return admin_error(502, "history sink '" + sink.component().id() + "' answered something that is not history");
  for (auto& item : body["insights"])  // one shape for both answers: the document under "data"
    if (item.is_object() && item.contains("insight") && !item.contains("data")) {
      item["data"] = std::move(item["insight"]);
      item.erase("insight");
    }
  body["from"] = "history";
  body["sink"] = sink.component().id();
  body["topic"] = request.value("topic", "");
  body["count"] = body["insights"].size();
  return admin_json(200, body);
}

// A topic the history sink is not wired to keep (e.g. the per-batch
// `blockchain` aggregates in the shipped pipeline) would always answer empty
// from history: asked for by topic alone, it is answered from memory instead,
// and the answer says so ("from"). Known from the insights of that topic held
// in memory: none came from an emitter among the sink's inputs. All of them,
// not the newest: when two components emit the topic and the sink keeps one
// (`blockchain` from block_data and transactions), which emitted last must not
// decide where the answer comes from.
bool history_misses_topic(Runtime& rt, const SinkWorker& history, const http::Request& req) {
  const auto topic = req.query.find("topic");
  if (topic == req.query.end()) return false;
  for (const char* key : kHistoryOnly)
    if (req.query.count(key)) return false;
  const auto held = rt.insights().latest(topic->second, std::numeric_limits<size_t>::max());
  return !held.empty() && std::none_of(held.begin(), held.end(), [&](const InsightPtr& in) {
           return history.wants(in->source, topic->second);
         });
}

http::Response from_memory(Runtime& rt, const http::Request& req, const nlohmann::json& request) {
  for (const char* key : kHistoryOnly)
    if (req.query.count(key))
      return admin_error(400, std::string(key) +
                                  " needs insight history: add a sink that keeps it (nebula.sink.sqlite) to the "
                                  "pipeline; without one only the newest insights per topic are held in memory");
  const std::string topic = request.value("topic", "");
  nlohmann::json items = nlohmann::json::array();
  for (const auto& in : rt.insights().latest(topic, size_t(request.value("limit", 50)))) items.push_back(insight_item(*in));
  return admin_json(200, {{"from", "memory"}, {"topic", topic}, {"count", items.size()}, {"insights", items}});
}

// One server-sent event per insight: id = host-wide sequence, event = topic,
// data = the same object GET /api/v1/pool/insights lists, on one line (the
// compact dump escapes any newline inside strings).
std::string as_event(const OwnedInsight& in) {
  const std::string text = insight_item(in).dump();
  return "id: " + std::to_string(in.sequence) + "\nevent: " + in.topic + "\ndata: " + text + "\n\n";
}

}  // namespace

void register_insight_routes(http::Server& server, AdminContext& ctx) {
  server.route("GET", "/api/v1/pool/insights", [&ctx](const http::Request& req) {
    Runtime* rt = ctx.runtime.load();
    if (!rt) return admin_error(503, "the pipeline is not running");
    nlohmann::json request;
    if (auto problem = history_request(req, request)) return admin_error(400, *problem);
    auto topology = rt->read_topology();  // the sink outlives the query even across a reload
    SinkWorker* history = rt->history_sink();
    if (history && !history_misses_topic(*rt, *history, req)) return from_history(*history, request);
    return from_memory(*rt, req, request);
  });

  // Live: every insight from now on (on `topic`, or all), as server-sent events.
  server.route("GET", "/api/v1/pool/insights/stream", [&ctx](const http::Request& req) {
    Runtime* rt = ctx.runtime.load();
    if (!rt) return admin_error(503, "the pipeline is not running");
    const std::string topic = req.query.count("topic") ? req.query.at("topic") : "";
    http::Response r;
    r.events = [rt, topic](std::shared_ptr<http::EventFeed> feed) {
      feed->push(": subscribed to " + (topic.empty() ? std::string("every topic") : "topic " + topic) + "\n\n");
      rt->live_insights().subscribe(topic, [feed](const InsightPtr& in) { return feed->push(as_event(*in)); });
    };
    return r;
  });
}

}  // namespace nebula::host
