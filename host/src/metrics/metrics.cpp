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
  switch (type) {
    case Metrics::Type::Counter: return "counter";
    case Metrics::Type::Gauge: return "gauge";
    case Metrics::Type::Histogram: return "histogram";
  }
  return "untyped";
}

void render_labels(std::string& out, const Labels& labels, const char* extra_name = nullptr,
                   const std::string& extra_value = {}) {
  if (labels.empty() && !extra_name) return;
  out += '{';
  bool first = true;
  for (const auto& [name, value] : labels) {
    if (!first) out += ',';
    first = false;
    out += name + "=\"" + prometheus::escape_label_value(value) + '"';
  }
  if (extra_name) out += std::string(first ? "" : ",") + extra_name + "=\"" + extra_value + '"';
  out += '}';
}

void render_sample(std::string& out, const std::string& family, const Labels& labels, double value) {
  out += family;
  render_labels(out, labels);
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

void Metrics::add(const std::string& family, const Labels& labels, double delta, std::string_view help) {
  const std::string name = sanitize_metric_name(family);
  Labels key = normalize(labels);
  std::lock_guard lock(mu_);
  auto [it, inserted] = families_.try_emplace(name);
  if (inserted) it->second.type = Type::Counter;
  if (it->second.help.empty()) it->second.help = help;
  // Gauges may move both ways; a counter going down (or by NaN) is a caller bug.
  if (it->second.type == Type::Counter && !(delta >= 0))
    throw std::invalid_argument("counter '" + name + "' cannot be decreased");
  if (!admits(name, it->second, key, it->second.samples.count(key))) return;
  it->second.samples[std::move(key)] += delta;
}

void Metrics::set(const std::string& family, const Labels& labels, double value, std::string_view help) {
  const std::string name = sanitize_metric_name(family);
  Labels key = normalize(labels);
  std::lock_guard lock(mu_);
  auto [it, inserted] = families_.try_emplace(name);
  if (inserted) it->second.type = Type::Gauge;
  if (it->second.help.empty()) it->second.help = help;
  // Allowed on counters too, to mirror a count owned elsewhere (e.g. the WAL).
  if (!admits(name, it->second, key, it->second.samples.count(key))) return;
  it->second.samples[std::move(key)] = value;
}

void Metrics::describe_histogram(const std::string& family, const std::string& help, std::vector<double> bounds) {
  if (!std::is_sorted(bounds.begin(), bounds.end()) ||
      std::adjacent_find(bounds.begin(), bounds.end()) != bounds.end())
    throw std::invalid_argument("histogram '" + family + "' bounds must be strictly ascending");
  describe(family, Type::Histogram, help);
  const std::string name = sanitize_metric_name(family);
  std::lock_guard lock(mu_);
  Family& f = families_.at(name);
  if (f.histograms.empty()) f.bounds = std::move(bounds);
}

void Metrics::observe(const std::string& family, const Labels& labels, double value) {
  const std::string name = sanitize_metric_name(family);
  Labels key = normalize(labels);
  std::lock_guard lock(mu_);
  auto it = families_.find(name);
  if (it == families_.end() || it->second.type != Type::Histogram)
    throw std::invalid_argument("'" + name + "' is not a declared histogram");
  Family& f = it->second;
  auto found = f.histograms.find(key);
  if (found == f.histograms.end()) {
    if (!admits(name, f, key, 0)) return;
    found = f.histograms.emplace(std::move(key), Buckets{std::vector<uint64_t>(f.bounds.size() + 1, 0), 0, 0}).first;
  }
  Buckets& b = found->second;
  const size_t at = size_t(std::lower_bound(f.bounds.begin(), f.bounds.end(), value) - f.bounds.begin());
  ++b.counts[at];  // le is inclusive: lower_bound finds the first bound >= value
  b.sum += value;
  ++b.count;
}

void Metrics::limit_series(const std::string& family, size_t max_series) {
  const std::string name = sanitize_metric_name(family);
  std::lock_guard lock(mu_);
  families_[name].max_series = max_series;
}

bool Metrics::admits(const std::string& name, Family& family, const Labels& /*key*/, size_t held) {
  if (held || family.max_series == 0) return true;
  const size_t series = family.type == Type::Histogram ? family.histograms.size() : family.samples.size();
  if (series < family.max_series) return true;
  refused_[name] += 1;
  return false;
}

double Metrics::value(const std::string& family, const Labels& labels) const {
  const std::string name = sanitize_metric_name(family);
  const Labels key = normalize(labels);
  std::lock_guard lock(mu_);
  auto f = families_.find(name);
  if (f == families_.end()) return 0;
  if (auto h = f->second.histograms.find(key); h != f->second.histograms.end()) return double(h->second.count);
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
    for (const auto& [labels, b] : family.histograms) {
      uint64_t cumulative = 0;
      for (size_t i = 0; i < b.counts.size(); ++i) {
        cumulative += b.counts[i];
        out += name + "_bucket";
        render_labels(out, labels, "le", i < family.bounds.size() ? prometheus::format_value(family.bounds[i]) : "+Inf");
        out += ' ' + prometheus::format_value(double(cumulative)) + '\n';
      }
      render_sample(out, name + "_sum", labels, b.sum);
      render_sample(out, name + "_count", labels, double(b.count));
    }
  }
  if (!refused_.empty()) {
    const std::string refused = "nebula_metric_series_refused_total";
    out += "# HELP " + refused + " New label sets a metric family refused past its series limit\n";
    out += "# TYPE " + refused + " counter\n";
    for (const auto& [family, n] : refused_) render_sample(out, refused, {{"family", family}}, n);
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
