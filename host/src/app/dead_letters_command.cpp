// `nebula-pool dead-letters list|replay -c FILE`: list reads the dead-letter
// file straight from the state dir (works while the pool is down); replay
// asks the running pool (its admin address from <state_dir>/endpoints.json),
// because only the running host may append to its write-ahead log.
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <fstream>
#include <iostream>

#include <nlohmann/json.hpp>

#include "app/commands.hpp"
#include "config/pipeline_config.hpp"
#include "runtime/dead_letters.hpp"

namespace nebula::host {
namespace {

namespace beast = boost::beast;
namespace asio = boost::asio;

void print_table(const std::vector<nlohmann::json>& letters) {
  std::cout << letters.size() << " dead letter(s)\n";
  for (const auto& l : letters) {
    if (l.contains("damaged")) {
      std::cout << "  (damaged line) " << l["damaged"].get<std::string>() << "\n";
      continue;
    }
    if (l.contains("payload")) {  // a transport's whole payload
      const std::string payload = l.value("payload", "");
      std::cout << "  " << l.value("component", "?") << "  payload " << payload.size() << " byte(s) ("
                << l.value("format", "?") << ")  " << l.value("reason", "") << "\n";
      continue;
    }
    const auto& r = l.value("record", nlohmann::json::object());
    std::cout << "  " << l.value("component", "?") << "  lsn " << l.value("lsn", uint64_t{0}) << "  node "
              << r.value("node_id", "?") << " seq " << (r.contains("seq") ? r["seq"].dump() : "-") << "  "
              << l.value("reason", "") << "\n";
  }
}

// POST to the running pool's admin API; returns the HTTP status (0 = no answer).
int post_admin(const std::string& address, uint16_t port, const std::string& target, const std::string& token,
               std::string& body) {
  asio::io_context io;
  asio::ip::tcp::resolver resolver(io);
  beast::tcp_stream stream(io);
  stream.expires_after(std::chrono::seconds(120));
  stream.connect(resolver.resolve(address, std::to_string(port)));
  beast::http::request<beast::http::string_body> req{beast::http::verb::post, target, 11};
  req.set(beast::http::field::host, address);
  if (!token.empty()) req.set(beast::http::field::authorization, "Bearer " + token);
  req.prepare_payload();
  beast::http::write(stream, req);
  beast::flat_buffer buffer;
  beast::http::response<beast::http::string_body> res;
  beast::http::read(stream, buffer, res);
  body = res.body();
  return static_cast<int>(res.result_int());
}

}  // namespace

int dead_letters_command(const std::string& config_path, const std::string& action, bool as_json,
                         const std::string& token) {
  ParseResult parsed = parse_pipeline(config_path);
  for (const auto& issue : parsed.issues) std::cerr << issue.format() << "\n";
  if (!parsed.issues.empty()) return 1;
  const std::filesystem::path state_dir = parsed.config.state_dir;
  if (action == "list") {
    auto letters = DeadLetterStore::read_pending(state_dir / "dead-letters");
    if (as_json)
      std::cout << nlohmann::json{{"count", letters.size()}, {"dead_letters", letters}}.dump(2) << "\n";
    else
      print_table(letters);
    return 0;
  }
  std::ifstream in(state_dir / "endpoints.json");
  auto endpoints = nlohmann::json::parse(in, nullptr, false);
  if (!endpoints.is_object() || !endpoints.contains("admin")) {
    std::cerr << "replay needs the running pool: no " << (state_dir / "endpoints.json").string()
              << " (start it with `nebula-pool run -c " << config_path << "`)\n";
    return 1;
  }
  std::string body;
  try {
    const int status = post_admin(endpoints["admin"].value("address", "127.0.0.1"),
                                  endpoints["admin"].value("port", uint16_t{0}), "/api/v1/dead-letters/replay",
                                  token, body);
    std::cout << body << "\n";
    return status == 200 ? 0 : 1;
  } catch (const std::exception& e) {
    std::cerr << "cannot reach the pool's admin API: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace nebula::host
