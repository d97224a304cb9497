// Admin routes for dead letters: list what processors rejected for good, and
// replay it (each record to the processor that rejected it).
#include "app/admin_api.hpp"
#include "app/admin_json.hpp"

namespace nebula::host {

void register_dead_letter_routes(http::Server& server, AdminContext& ctx) {
  server.route("GET", "/api/v1/dead-letters", [&ctx](const http::Request& req) {
    Runtime* rt = ctx.runtime.load();
    if (!rt) return admin_error(503, "the pipeline is not running");
    auto letters = DeadLetterStore::read_pending(rt->dead_letters().dir());
    size_t limit = 100;
    if (req.query.count("limit")) {
      try {
        limit = std::stoul(req.query.at("limit"));
      } catch (...) {
        return admin_error(400, "limit must be a positive integer");
      }
    }
    const size_t total = letters.size();
    if (letters.size() > limit) letters.erase(letters.begin(), letters.end() - long(limit));
    return admin_json(200, {{"count", total}, {"dead_letters", letters}});
  });

  server.route("POST", "/api/v1/dead-letters/replay", [&ctx](const http::Request&) {
    Runtime* rt = ctx.runtime.load();
    if (!rt) return admin_error(503, "the pipeline is not running");
    nlohmann::json result = rt->replay_dead_letters();
    return admin_json(result["errors"].empty() ? 200 : 500, result);
  });
}

}  // namespace nebula::host
