// `nebula-pool top`: a full-screen view of a running pool through its admin
// API, refreshed every second; q quits. Plain ANSI escape codes (alternate
// screen, cursor home, clear), the terminal in raw mode for single keys.
#include <CLI/CLI.hpp>
#include <poll.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <iostream>
#include <thread>

#include "app/admin_client.hpp"
#include "app/commands.hpp"
#include "app/top_model.hpp"
#include "app/top_screen.hpp"

namespace nebula::host {
namespace {

using Clock = std::chrono::steady_clock;
std::atomic<bool> interrupted{false};

struct TopOptions {
  std::string url = "http://127.0.0.1:7070";
  std::string token;
  double interval_s = 1;
  bool once = false;
};

// Raw keys, the alternate screen and a hidden cursor while alive; the
// terminal as it was afterwards, however top ends.
class FullScreen {
 public:
  FullScreen() {
    if (::isatty(STDIN_FILENO) && ::tcgetattr(STDIN_FILENO, &saved_) == 0) {
      termios raw = saved_;
      raw.c_lflag &= ~tcflag_t(ICANON | ECHO);
      raw.c_cc[VMIN] = 0;
      raw.c_cc[VTIME] = 0;
      restore_ = ::tcsetattr(STDIN_FILENO, TCSANOW, &raw) == 0;
    }
    std::cout << "\x1b[?1049h\x1b[?25l" << std::flush;
  }
  ~FullScreen() {
    std::cout << "\x1b[?25h\x1b[?1049l" << std::flush;
    if (restore_) ::tcsetattr(STDIN_FILENO, TCSANOW, &saved_);
  }

  static size_t width() {
    winsize ws{};
    return ::ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col ? ws.ws_col : 120;
  }

  static void draw(const std::vector<std::string>& lines) {
    std::string screen = "\x1b[H";
    for (const auto& line : lines) screen += line + "\x1b[K\r\n";
    screen += "\x1b[J";
    std::cout << screen << std::flush;
  }

  // Waits up to `timeout` for a key; true when it is q (or Ctrl-C arrived).
  static bool quit_pressed(std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    while (!interrupted) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
      if (left <= 0) return false;
      pollfd p{STDIN_FILENO, POLLIN, 0};
      if (::poll(&p, 1, int(left)) <= 0) continue;
      char key = 0;
      if (::read(STDIN_FILENO, &key, 1) <= 0) {
        // stdin closed (not a terminal): refresh on the timer alone
        std::this_thread::sleep_for(std::chrono::milliseconds(left));
        return false;
      }
      if (key == 'q' || key == 'Q') return true;
    }
    return true;
  }

 private:
  termios saved_{};
  bool restore_ = false;
};

// Both documents, or the reason one could not be had.
std::optional<TopSnapshot> take_snapshot(const AdminEndpoint& endpoint, std::string& error) {
  const auto timeout = std::chrono::seconds(3);
  TopSnapshot snap;
  const AdminAnswer stats = admin_get(endpoint, "/api/v1/pool/stats", timeout);
  if (stats.status != 200) {
    error = stats.status ? "GET /api/v1/pool/stats answered " + std::to_string(stats.status) + ": " + stats.body
                         : stats.error;
    return std::nullopt;
  }
  snap.stats = nlohmann::json::parse(stats.body, nullptr, false);
  if (!snap.stats.is_object()) {
    error = "GET /api/v1/pool/stats did not answer JSON";
    return std::nullopt;
  }
  const AdminAnswer metrics = admin_get(endpoint, "/metrics", timeout);
  if (metrics.status != 200) {
    error = metrics.status ? "GET /metrics answered " + std::to_string(metrics.status) : metrics.error;
    return std::nullopt;
  }
  snap.metrics = parse_prometheus_text(metrics.body);
  snap.taken_at = std::chrono::duration<double>(Clock::now().time_since_epoch()).count();
  return snap;
}

int top(const TopOptions& o) {
  std::string why;
  auto endpoint = parse_admin_url(o.url, why);
  if (!endpoint) {
    std::cerr << "top: " << why << "\n";
    return 2;
  }
  endpoint->token = o.token;
  const auto interval = std::chrono::milliseconds(int64_t(o.interval_s * 1000));
  std::optional<TopSnapshot> previous = take_snapshot(*endpoint, why);
  if (!previous) {  // say it plainly before taking the screen: wrong URL or token
    std::cerr << "top: " << o.url << ": " << why << "\n";
    return 1;
  }
  if (o.once) {  // two snapshots an interval apart, one frame as plain text
    std::this_thread::sleep_for(interval);
    auto now = take_snapshot(*endpoint, why);
    if (!now) {
      std::cerr << "top: " << o.url << ": " << why << "\n";
      return 1;
    }
    for (const auto& line : render_top(make_frame(&*previous, *now), o.url, 1000)) std::cout << line << "\n";
    return 0;
  }
  std::signal(SIGINT, [](int) { interrupted = true; });
  std::signal(SIGTERM, [](int) { interrupted = true; });
  FullScreen screen;
  FullScreen::draw(render_top(make_frame(nullptr, *previous), o.url, FullScreen::width()));
  while (!FullScreen::quit_pressed(interval)) {
    auto now = take_snapshot(*endpoint, why);
    if (!now) {
      FullScreen::draw({"nebula-pool top  " + o.url + "    q: quit", "", "cannot read the pool: " + why,
                        "retrying every " + std::to_string(o.interval_s) + " s"});
      continue;
    }
    FullScreen::draw(render_top(make_frame(&*previous, *now), o.url, FullScreen::width()));
    previous = std::move(now);
  }
  return 0;
}

}  // namespace

OperatorTool add_top_command(CLI::App& app) {
  auto o = std::make_shared<TopOptions>();
  auto* cmd = app.add_subcommand("top", "Full-screen live view of a running pool: rates, queues, errors, incidents");
  cmd->add_option("--url", o->url, "Admin API")->capture_default_str()->envname("NEBULA_ADMIN_URL");
  cmd->add_option("--token", o->token, "Admin API bearer token")->envname("NEBULA_ADMIN_TOKEN");
  cmd->add_option("--interval", o->interval_s, "Seconds between refreshes")
      ->capture_default_str()
      ->check(CLI::Range(0.1, 60.0));
  cmd->add_flag("--once", o->once, "Print one frame as plain text (two readings an interval apart) and exit");
  return {cmd, [o] { return top(*o); }};
}

}  // namespace nebula::host
