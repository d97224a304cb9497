#include "fleet_scoring.hpp"

#include <cstdio>

namespace nebula::pattern::testing {

namespace {

bool overlaps(double a0, double a1, double b0, double b1) { return a0 < b1 && b0 < a1; }

std::string describe(const std::string& kind, const std::string& node, double start, double end, double t0) {
  char buf[256];
  std::snprintf(buf, sizeof buf, "%s %s %.0f-%.0f s", kind.c_str(), node.c_str(), start - t0, end - t0);
  return buf;
}

}  // namespace

double Scorecard::fa_rate(const std::string& kind) const {
  auto it = kinds.find(kind);
  return quiet_windows && it != kinds.end() ? double(it->second.fa_windows) / quiet_windows : 0.0;
}

Scorecard score(const std::vector<Truth>& truths, const std::vector<Detection>& detections,
                const std::vector<std::string>& nodes, double t0, double t1, double window_s, double tolerance_s) {
  Scorecard card;
  for (const auto& t : truths) {
    KindScore& k = card.kinds[t.kind];
    ++k.truths;
    if (!t.observable) continue;
    ++k.observable;
    bool found = false;
    for (const auto& d : detections)
      found = found ||
              (d.kind == t.kind && d.node == t.node && d.start >= t.start - tolerance_s && d.start < t.end + tolerance_s);
    if (found) ++k.found;
    else card.missed.push_back(describe(t.kind, t.node, t.start, t.end, t0));
  }
  for (const auto& d : detections) {
    KindScore& k = card.kinds[d.kind];
    ++k.detections;
    bool same = false, other = false;
    for (const auto& t : truths) {
      if (t.node != d.node || d.start < t.start - tolerance_s || d.start >= t.end + tolerance_s) continue;
      (t.kind == d.kind ? same : other) = true;
    }
    if (same) ++k.matched;
    else if (other) ++k.other_incident;
    else {
      ++k.spurious;
      card.spurious.push_back(describe(d.kind, d.node, d.start, d.end, t0));
    }
  }
  for (const auto& node : nodes) {
    for (double ws = t0; ws < t1; ws += window_s) {
      const double we = ws + window_s;
      ++card.windows;
      bool quiet = true;
      for (const auto& t : truths)
        quiet = quiet && !(t.node == node && overlaps(t.start, t.end, ws - tolerance_s, we + tolerance_s));
      if (!quiet) continue;
      ++card.quiet_windows;
      std::map<std::string, bool> open;
      for (const auto& d : detections)
        if (d.node == node && overlaps(d.start, d.end + 1e-9, ws, we)) open[d.kind] = true;
      if (!open.empty()) ++card.fa_windows_any;
      for (const auto& [kind, yes] : open) ++card.kinds[kind].fa_windows;
    }
  }
  return card;
}

std::string Scorecard::table() const {
  std::string out =
      "| kind | true incidents (node) | observable | found | recall | detections | matched | in other incident | "
      "spurious | false-alarm windows | false-alarm rate |\n"
      "|---|---|---|---|---|---|---|---|---|---|---|\n";
  char line[512];
  for (const auto& [kind, k] : kinds) {
    std::snprintf(line, sizeof line, "| %s | %d | %d | %d | %.3f | %d | %d | %d | %d | %d | %.4f |\n", kind.c_str(),
                  k.truths, k.observable, k.found, k.recall(), k.detections, k.matched, k.other_incident, k.spurious,
                  k.fa_windows, fa_rate(kind));
    out += line;
  }
  std::snprintf(line, sizeof line, "| **any** | | | | | | | | | %d of %d quiet node-windows (%d total) | %.4f |\n",
                fa_windows_any, quiet_windows, windows, fa_rate_any());
  out += line;
  return out;
}

}  // namespace nebula::pattern::testing
