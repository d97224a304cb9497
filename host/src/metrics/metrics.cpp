#include "metrics/metrics.hpp"

#include <algorithm>
#include <stdexcept>

#include "metrics/prometheus_text.hpp"

namespace nebula::host {
namespace {

bool is_ascii_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_ascii_digit(char c) { return c >= '0' && c <= '9'; }

// Prometheus treats a label set as unordered, so {a,b} and {b,a} must land on
// the same sample; sorting by name also makes the rendered order stable.
Labels normalize(const Labels& labels) {
  Labels out;
  out.reserve(labels.size());
  for (const auto& [name, value] : labels) out.emplace_back(prometheus::sanitize_label_name(name), value);
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  return out;
}

const char* type_name(Metrics::Type type) {
  return type == Metrics::Type::Counter ? "counter" : "gauge";
}

void render_sample(std::string& out, const std::string& family, const Labels& labels, double value) {
  out += family;
  if (!labels.empty()) {
    out += '{';
    for (size_t i = 0; i < labels.size(); ++i) {
      if (i) out += ',';
      out += labels[i].first;
      out += "=\"";
      out += prometheus::escape_label_value(labels[i].second);
      out += '"';
    }
    out += '}';
  }
  out += ' ';
  out += prometheus::format_value(value);
  out += '\n';
}

}  // namespace

void Metrics::describe(const std::string& family, Type type, const std::string& help) {
  const std::string name = sanitize_metric_name(family);
  std::lock_guard lock(mu_);
  auto [it, inserted] = families_.try_emplace(name);
  Family& f = it->second;
  if (inserted || f.help.empty()) {
    // A family first touched by add()/set() has no help yet; the declaration wins.
    f.type = type;
    f.help = help;
    return;
  }
  if (f.type != type)
    throw std::invalid_argument("metric family '" + name + "' already declared as " + type_name(f.type));
}

void Metrics::add(const std::string& family, const Labels& labels, double delta) {
  const std::string name = sanitize_metric_name(family);
  Labels key = normalize(labels);
  std::lock_guard lock(mu_);
  auto [it, inserted] = families_.try_emplace(name);
  if (inserted) it->second.type = Type::Counter;
  // Gauges may move both ways; a counter going down (or by NaN) is a caller bug.
  if (it->second.type == Type::Counter && !(delta >= 0))
    throw std::invalid_argument("counter '" + name + "' cannot be decreased");
  it->second.samples[std::move(key)] += delta;
}

void Metrics::set(const std::string& family, const Labels& labels, double value) {
  const std::string name = sanitize_metric_name(family);
  Labels key = normalize(labels);
  std::lock_guard lock(mu_);
  auto [it, inserted] = families_.try_emplace(name);
  if (inserted) it->second.type = Type::Gauge;
  // Allowed on counters too, to mirror a count owned elsewhere (e.g. the WAL).
  it->second.samples[std::move(key)] = value;
}

double Metrics::value(const std::string& family, const Labels& labels) const {
  const std::string name = sanitize_metric_name(family);
  const Labels key = normalize(labels);
  std::lock_guard lock(mu_);
  auto f = families_.find(name);
  if (f == families_.end()) return 0;
  auto s = f->second.samples.find(key);
  return s == f->second.samples.end() ? 0 : s->second;
}

std::string Metrics::render() const {
  std::string out;
  std::lock_guard lock(mu_);
  for (const auto& [name, family] : families_) {
    if (!family.help.empty()) {
      out += "# HELP " + name + ' ' + prometheus::escape_help(family.help) + '\n';
    }
    out += "# TYPE " + name + ' ' + type_name(family.type) + '\n';
    for (const auto& [labels, value] : family.samples) render_sample(out, name, labels, value);
  }
  return out;
}

std::string sanitize_metric_name(const std::string& name) {
  if (name.empty()) return "_";
  std::string out;
  out.reserve(name.size() + 1);
  if (is_ascii_digit(name.front())) out += '_';
  for (char c : name) {
    out += (is_ascii_letter(c) || is_ascii_digit(c) || c == '_' || c == ':') ? c : '_';
  }
  return out;
}

}  // namespace nebula::host
