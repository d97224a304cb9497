// GET /api/v1/pool/tap/{component}?what=records|insights|all&rate=N: what
// one component takes in and gives out, live, as server-sent events:
//   event: record   data: {"component": id, "record": <canonical record>}
//                   (a processor's input batches; a transport's records as
//                   they leave the pool queue)
//   event: insight  data: the insight as GET /api/v1/pool/insights lists it
//   event: skipped  data: {"skipped": n}, before the next event sent, when
//                   the rate cut n events since the last one
// At most `rate` events a second (default 10) reach the watcher: a busy
// processor takes thousands of records a second, and a terminal cannot show
// them. Nothing is encoded for a skipped event; nothing at all while nobody
// watches (RecordTap, InsightBroadcast).
#include <mutex>

#include "app/admin_api.hpp"
#include "app/admin_json.hpp"
#include "ingest/record_encoder.hpp"

namespace nebula::host {
namespace {

constexpr double kDefaultRate = 10;
constexpr double kMaxRate = 10000;

// What a component of each kind has to show.
struct Tappable {
  bool records = false;
  bool insights = false;
};

std::optional<Tappable> tappable(Runtime& rt, const std::string& id) {
  const nlohmann::json stats = rt.stats();
  struct Kind {
    const char* list;
    const char* id_key;  // sinks describe themselves by "component"
    Tappable what;
  };
  const Kind kinds[] = {{"transports", "id", {true, false}},
                        {"processors", "id", {true, true}},
                        {"agents", "id", {false, true}},
                        {"sinks", "component", {false, false}}};
  for (const auto& kind : kinds)
    for (const auto& c : stats[kind.list])
      if (c.value(kind.id_key, "") == id) return kind.what;
  return std::nullopt;
}

// One watcher's budget: a token bucket of `rate` events a second (a burst of
// one second's worth), counting what it cuts. Sending under its lock keeps
// a "skipped" notice in front of the event it precedes.
class TapGate {
 public:
  TapGate(std::shared_ptr<http::EventFeed> feed, double rate) : feed_(std::move(feed)), rate_(rate), tokens_(rate) {}

  // False once the watcher is gone. `event` runs only when the event is sent.
  template <class MakeEvent>
  bool offer(MakeEvent&& event) {
    std::lock_guard lock(mu_);
    const auto now = std::chrono::steady_clock::now();
    tokens_ = std::min(rate_, tokens_ + rate_ * std::chrono::duration<double>(now - last_).count());
    last_ = now;
    if (tokens_ < 1) {
      ++skipped_;
      return true;
    }
    tokens_ -= 1;
    if (skipped_) {
      if (!feed_->push("event: skipped\ndata: {\"skipped\":" + std::to_string(skipped_) + "}\n\n")) return false;
      skipped_ = 0;
    }
    return feed_->push(event());
  }

 private:
  std::mutex mu_;
  std::shared_ptr<http::EventFeed> feed_;
  const double rate_;
  double tokens_;
  uint64_t skipped_ = 0;
  std::chrono::steady_clock::time_point last_ = std::chrono::steady_clock::now();
};

std::optional<double> parse_rate(const http::Request& req, std::string& why) {
  if (!req.query.count("rate")) return kDefaultRate;
  try {
    size_t used = 0;
    const double rate = std::stod(req.query.at("rate"), &used);
    if (used == req.query.at("rate").size() && rate >= 1 && rate <= kMaxRate) return rate;
  } catch (const std::exception&) {
  }
  why = "rate must be a number of events per second between 1 and " + std::to_string(int(kMaxRate));
  return std::nullopt;
}

}  // namespace

void register_tap_routes(http::Server& server, AdminContext& ctx) {
  server.route("GET", "/api/v1/pool/tap/{component}", [&ctx](const http::Request& req) {
    Runtime* rt = ctx.runtime.load();
    if (!rt) return admin_error(503, "the pipeline is not running");
    const std::string id = req.params.at("component");
    const auto can = tappable(*rt, id);
    if (!can) return admin_error(404, "no component '" + id + "' in the running pipeline");
    const std::string what = req.query.count("what") ? req.query.at("what") : "all";
    if (what != "records" && what != "insights" && what != "all")
      return admin_error(400, "what must be records, insights or all, got '" + what + "'");
    std::string why;
    const auto rate = parse_rate(req, why);
    if (!rate) return admin_error(400, why);
    const bool records = can->records && what != "insights";
    const bool insights = can->insights && what != "records";
    if (!records && !insights)
      return admin_error(400, "'" + id + "' has no " + (what == "all" ? std::string("records or insights") : what) +
                                  " to tap (transports: records; processors: both; agents: insights; sinks: none)");
    http::Response r;
    r.events = [rt, id, records, insights, rate = *rate](std::shared_ptr<http::EventFeed> feed) {
      feed->push(": tapping " + id + ": " + (records && insights ? "records and insights" : records ? "records" : "insights") +
                 ", at most " + std::to_string(int64_t(rate)) + " a second\n\n");
      auto gate = std::make_shared<TapGate>(feed, rate);
      if (records)
        rt->record_tap().subscribe(id, [gate, id](const Record& record) {
          return gate->offer([&] {
            return "event: record\ndata: {\"component\":" + nlohmann::json(id).dump() +
                   ",\"record\":" + encode_record_json(record) + "}\n\n";
          });
        });
      if (insights)
        rt->live_insights().subscribe("", [gate, id](const InsightPtr& in) {
          if (in->source != id) return true;
          return gate->offer([&] { return "event: insight\ndata: " + insight_item(*in).dump() + "\n\n"; });
        });
    };
    return r;
  });
}

}  // namespace nebula::host
