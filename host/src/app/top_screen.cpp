#include "app/top_screen.hpp"

#include <cstdio>

namespace nebula::host {
namespace {

std::string fixed(double value, int decimals = 1) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  return text;
}

std::string cell(const std::optional<double>& value, int decimals) { return value ? fixed(*value, decimals) : "-"; }

std::string pad(const std::string& text, size_t width, bool right) {
  if (text.size() >= width) return text.substr(0, width);
  const std::string fill(width - text.size(), ' ');
  return right ? fill + text : text + fill;
}

std::string duration(double seconds) {
  const long s = long(seconds);
  char text[32];
  std::snprintf(text, sizeof text, "%ld:%02ld:%02ld", s / 3600, (s / 60) % 60, s % 60);
  return text;
}

}  // namespace

std::vector<std::string> render_top(const TopFrame& f, const std::string& url, size_t width) {
  std::vector<std::string> lines;
  lines.push_back("nebula-pool top  " + url + "  " + f.status + "  up " + duration(f.uptime_s) + "    q: quit");
  lines.push_back("pool queue " + fixed(f.queue_depth, 0) + "/" + fixed(f.queue_capacity, 0) + "  accepted " +
                  fixed(f.accepted_rate) + "/s  processed " + fixed(f.processed_rate) + "/s  insights " +
                  fixed(f.insight_rate) + "/s  rejected " + fixed(f.rejected, 0) + "  retries " + fixed(f.retries, 0));
  lines.emplace_back();
  lines.push_back(pad("COMPONENT", 20, false) + pad("KIND", 10, false) + pad("IN/s", 10, true) + pad("OUT/s", 10, true) +
                  pad("QUEUE", 8, true) + pad("ERRORS", 8, true) + "  NOTE");
  for (const auto& c : f.components)
    lines.push_back(pad(c.id, 19, false) + " " + pad(c.kind, 10, false) + pad(cell(c.in_rate, 1), 10, true) +
                    pad(cell(c.out_rate, 1), 10, true) + pad(cell(c.queue, 0), 8, true) +
                    pad(cell(c.errors, 0), 8, true) + "  " + c.note);
  lines.emplace_back();
  lines.push_back("ACTIVE INCIDENTS");
  if (f.incidents.empty()) lines.push_back("  none");
  for (const auto& i : f.incidents)
    lines.push_back("  " + pad(i.kind, 20, false) + pad(i.chain, 12, false) + pad(fixed(i.active, 0), 5, true) +
                    "  (" + i.component + ")");
  lines.emplace_back();
  lines.push_back("IN/s: records accepted (transports), calls (processors), insights delivered (sinks); "
                  "OUT/s: insights emitted");
  for (auto& line : lines)
    if (line.size() > width) line.resize(width);
  return lines;
}

}  // namespace nebula::host
