#include "app/top_model.hpp"

#include <cstdlib>
#include <sstream>

namespace nebula::host {
namespace {

// Sum of the samples of `name` whose labels include every one of `match`.
double sum_of(const std::vector<MetricSample>& samples, const std::string& name,
              const std::map<std::string, std::string>& match) {
  double total = 0;
  for (const auto& s : samples) {
    if (s.name != name) continue;
    bool all = true;
    for (const auto& [k, v] : match) {
      auto it = s.labels.find(k);
      all = all && it != s.labels.end() && it->second == v;
    }
    if (all) total += s.value;
  }
  return total;
}

double number(const nlohmann::json& doc, const char* key) {
  auto it = doc.find(key);
  return it != doc.end() && it->is_number() ? it->get<double>() : 0;
}

// Reads a label block `{a="x",b="y"}` starting at text[pos] == '{'.
size_t read_labels(const std::string& text, size_t pos, std::map<std::string, std::string>& out) {
  ++pos;
  while (pos < text.size() && text[pos] != '}') {
    const size_t eq = text.find('=', pos);
    if (eq == std::string::npos || eq + 1 >= text.size() || text[eq + 1] != '"') return std::string::npos;
    const std::string key = text.substr(pos, eq - pos);
    std::string value;
    size_t i = eq + 2;
    for (; i < text.size() && text[i] != '"'; ++i) {
      if (text[i] == '\\' && i + 1 < text.size()) {
        ++i;
        value += text[i] == 'n' ? '\n' : text[i];
      } else {
        value += text[i];
      }
    }
    out[key] = value;
    pos = i + 1;
    if (pos < text.size() && text[pos] == ',') ++pos;
  }
  return pos < text.size() ? pos + 1 : std::string::npos;
}

ComponentRow make_row(std::string id, std::string kind) {
  ComponentRow row;
  row.id = std::move(id);
  row.kind = std::move(kind);
  return row;
}

}  // namespace

std::vector<MetricSample> parse_prometheus_text(const std::string& text) {
  std::vector<MetricSample> out;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty() || line[0] == '#') continue;
    MetricSample s;
    size_t pos = line.find_first_of("{ ");
    if (pos == std::string::npos) continue;
    s.name = line.substr(0, pos);
    if (line[pos] == '{') {
      pos = read_labels(line, pos, s.labels);
      if (pos == std::string::npos) continue;
    }
    char* end = nullptr;
    s.value = std::strtod(line.c_str() + pos, &end);
    if (end == line.c_str() + pos) continue;
    out.push_back(std::move(s));
  }
  return out;
}

TopFrame make_frame(const TopSnapshot* before, const TopSnapshot& now) {
  TopFrame f;
  const double dt = before ? now.taken_at - before->taken_at : 0;
  // Per second since the previous snapshot; 0 on the first, or after a restart reset the counter.
  auto rate = [&](auto value_of) -> double {
    if (!before || dt <= 0) return 0;
    const double delta = value_of(now) - value_of(*before);
    return delta > 0 ? delta / dt : 0;
  };
  const nlohmann::json& s = now.stats;
  const nlohmann::json pool = s.value("pool", nlohmann::json::object());
  f.status = s.value("draining", false) ? "draining" : s.value("ready", false) ? "ready" : "not ready";
  f.uptime_s = number(s, "uptime_s");
  f.queue_depth = number(pool, "queue_depth");
  f.queue_capacity = number(pool, "queue_capacity");
  f.rejected = number(pool, "records_rejected");
  f.retries = number(pool, "payloads_retry");
  f.accepted_rate = rate([](const TopSnapshot& t) { return number(t.stats["pool"], "records_accepted"); });
  f.processed_rate = rate([](const TopSnapshot& t) { return number(t.stats["pool"], "records_processed"); });
  f.insight_rate = rate([](const TopSnapshot& t) { return sum_of(t.metrics, "nebula_insights_total", {}); });

  auto insights_out = [&](const std::string& id) {
    return rate([&](const TopSnapshot& t) { return sum_of(t.metrics, "nebula_insights_total", {{"component", id}}); });
  };
  // The same entry in the previous snapshot's list, by id.
  auto previous = [&](const char* list, const char* id_key, const std::string& id) -> nlohmann::json {
    if (before)
      for (const auto& c : before->stats.value(list, nlohmann::json::array()))
        if (c.value(id_key, "") == id) return c;
    return nlohmann::json::object();
  };
  auto delta_rate = [&](const nlohmann::json& cur, const nlohmann::json& prev, const char* key) -> double {
    if (!before || dt <= 0 || !prev.contains(key)) return 0;
    const double d = number(cur, key) - number(prev, key);
    return d > 0 ? d / dt : 0;
  };

  for (const auto& t : s.value("transports", nlohmann::json::array())) {
    ComponentRow row = make_row(t.value("id", ""), "transport");
    row.in_rate = rate([&](const TopSnapshot& x) {
      return sum_of(x.metrics, "nebula_ingest_records_total", {{"component", row.id}, {"result", "accepted"}});
    });
    row.errors = sum_of(now.metrics, "nebula_ingest_records_total", {{"component", row.id}, {"result", "rejected"}});
    if (!t.value("ready", true)) row.note = "not ready: " + t.value("not_ready_reason", "");
    f.components.push_back(std::move(row));
  }
  for (const auto& p : s.value("processors", nlohmann::json::array())) {
    ComponentRow row = make_row(p.value("id", ""), "processor");
    row.in_rate = delta_rate(p, previous("processors", "id", row.id), "calls");
    row.out_rate = insights_out(row.id);
    row.queue = number(p, "inbox");
    row.errors = number(p, "failures");
    f.components.push_back(std::move(row));
  }
  for (const auto& a : s.value("agents", nlohmann::json::array())) {
    ComponentRow row = make_row(a.value("id", ""), "agent");
    row.out_rate = insights_out(row.id);
    row.queue = number(a, "queue_depth");
    f.components.push_back(std::move(row));
  }
  for (const auto& k : s.value("sinks", nlohmann::json::array())) {
    ComponentRow row = make_row(k.value("component", ""), "sink");
    row.in_rate = delta_rate(k, previous("sinks", "component", row.id), "delivered");
    row.queue = number(k, "queue_depth");
    row.errors = number(k, "dead_lettered");
    if (k.value("failing", false)) row.note = "failing: " + k.value("last_error", nlohmann::json("")).dump();
    f.components.push_back(std::move(row));
  }
  for (const auto& m : now.metrics)
    if (m.name == "nebula_incidents_active" && m.value > 0) {
      auto label = [&](const char* key) {
        auto it = m.labels.find(key);
        return it == m.labels.end() ? std::string("-") : it->second;
      };
      f.incidents.push_back({label("kind"), label("chain_id"), label("component"), m.value});
    }
  return f;
}

}  // namespace nebula::host
