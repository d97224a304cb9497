// `nebula-pool tap <component>`: the live records and insights of one
// component of a running pool, rate-limited by the pool (admin_tap.cpp), one
// line each, until Ctrl-C or --count. Skipped events are counted and said.
#include <CLI/CLI.hpp>

#include <atomic>
#include <csignal>
#include <iostream>

#include <nlohmann/json.hpp>

#include "app/admin_client.hpp"
#include "app/commands.hpp"

namespace nebula::host {
namespace {

std::atomic<bool> interrupted{false};

struct TapOptions {
  std::string component;
  std::string url = "http://127.0.0.1:7070";
  std::string token;
  std::string what = "all";
  double rate = 10;
  size_t count = 0;  // 0 = until interrupted
};

std::string percent_encode(const std::string& text) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += char(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

// One event as a line: its kind, then the document (compact JSON).
std::string event_line(const ServerEvent& e) {
  auto doc = nlohmann::json::parse(e.data, nullptr, false);
  if (e.event == "insight" && doc.is_object())
    return "insight " + doc.value("topic", "?") + " " + doc.value("data", nlohmann::json()).dump();
  if (e.event == "record" && doc.is_object()) return "record  " + doc.value("record", nlohmann::json()).dump();
  return e.event + " " + e.data;
}

int tap(const TapOptions& o) {
  std::string why;
  auto endpoint = parse_admin_url(o.url, why);
  if (!endpoint) {
    std::cerr << "tap: " << why << "\n";
    return 2;
  }
  endpoint->token = o.token;
  const std::string target = "/api/v1/pool/tap/" + percent_encode(o.component) + "?what=" + o.what +
                             "&rate=" + std::to_string(o.rate);
  EventStreamReader stream;
  AdminAnswer refused;
  if (!stream.open(*endpoint, target, refused)) {
    auto body = nlohmann::json::parse(refused.body, nullptr, false);
    const std::string message = body.is_object() && body.contains("error") ? body["error"].get<std::string>()
                                : refused.error.empty()                    ? refused.body
                                                                           : refused.error;
    std::cerr << "tap: " << o.url << ": " << (refused.status ? std::to_string(refused.status) + " " : "") << message
              << "\n";
    return 1;
  }
  std::signal(SIGINT, [](int) { interrupted = true; });
  std::signal(SIGTERM, [](int) { interrupted = true; });
  std::cerr << "tapping " << o.component << " at " << o.url << " (" << o.what << ", at most " << o.rate
            << "/s; Ctrl-C stops)\n";
  uint64_t shown = 0, skipped = 0;
  bool closed = false;
  while (!interrupted && (o.count == 0 || shown < o.count)) {
    ServerEvent e;
    const auto next = stream.next(e, std::chrono::milliseconds(200));
    if (next == EventStreamReader::Next::Closed) {
      closed = true;
      break;
    }
    if (next == EventStreamReader::Next::Timeout) continue;
    if (e.event == "skipped") {
      const auto doc = nlohmann::json::parse(e.data, nullptr, false);
      const uint64_t n = doc.is_object() ? doc.value("skipped", uint64_t(0)) : 0;
      skipped += n;
      std::cout << "... " << n << " skipped (over " << o.rate << "/s)\n";
      continue;
    }
    std::cout << event_line(e) << "\n" << std::flush;
    ++shown;
  }
  std::cerr << "tap: " << shown << " shown, " << skipped << " skipped over the rate"
            << (closed ? "; the pool closed the stream" : "") << "\n";
  return closed && o.count && shown < o.count ? 1 : 0;
}

}  // namespace

OperatorTool add_tap_command(CLI::App& app) {
  auto o = std::make_shared<TapOptions>();
  auto* cmd = app.add_subcommand("tap", "Show the live records and insights of one component of a running pool");
  cmd->add_option("component", o->component, "Component id (a transport, processor or agent)")->required();
  cmd->add_option("--url", o->url, "Admin API")->capture_default_str()->envname("NEBULA_ADMIN_URL");
  cmd->add_option("--token", o->token, "Admin API bearer token")->envname("NEBULA_ADMIN_TOKEN");
  cmd->add_option("--what", o->what, "records, insights or all")
      ->capture_default_str()
      ->check(CLI::IsMember({"records", "insights", "all"}));
  cmd->add_option("--rate", o->rate, "At most this many events a second; the rest are counted as skipped")
      ->capture_default_str()
      ->check(CLI::Range(1.0, 10000.0));
  cmd->add_option("-n,--count", o->count, "Stop after this many events (0: until Ctrl-C)");
  return {cmd, [o] { return tap(*o); }};
}

}  // namespace nebula::host
