// The web console's page and files: GET / and GET /console/<file>, served
// from the copies compiled into the binary. They carry no data, so they are
// answered without the admin token (bearer_guard lets them through); every
// data call the page makes sends the token. /console/auth.json tells the
// page whether to ask for one.
#include <algorithm>

#include "app/admin_api.hpp"
#include "app/admin_console_assets.hpp"
#include "app/admin_json.hpp"

namespace nebula::host {
namespace {

std::string content_type_of(std::string_view name) {
  const auto ends_with = [&](std::string_view ext) {
    return name.size() >= ext.size() && name.substr(name.size() - ext.size()) == ext;
  };
  if (ends_with(".html")) return "text/html; charset=utf-8";
  if (ends_with(".js")) return "text/javascript; charset=utf-8";
  if (ends_with(".css")) return "text/css; charset=utf-8";
  if (ends_with(".svg")) return "image/svg+xml";
  return "application/octet-stream";
}

http::Response asset(std::string_view name) {
  const auto assets = console_assets();
  const auto it = std::find_if(assets.begin(), assets.end(), [&](const ConsoleAsset& a) { return a.name == name; });
  if (it == assets.end()) return admin_error(404, "no console file named '" + std::string(name) + "'");
  http::Response r;
  r.content_type = content_type_of(name);
  r.body.assign(it->bytes);
  // Always revalidated: a pool upgraded in place serves its own console at once.
  r.headers.emplace_back("Cache-Control", "no-cache");
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  return r;
}

}  // namespace

bool is_console_path(const std::string& path) { return path == "/" || path.rfind("/console/", 0) == 0; }

void register_console_routes(http::Server& server, AdminContext& ctx) {
  server.route("GET", "/", [](const http::Request&) { return asset("index.html"); });
  server.route("GET", "/console/auth.json", [&ctx](const http::Request&) {
    return admin_json(200, {{"token_required", ctx.token_required}});
  });
  server.route("GET", "/console/{file}", [](const http::Request& req) { return asset(req.params.at("file")); });
}

}  // namespace nebula::host
