#include "prometheus_text.hpp"

#include <cmath>
#include <limits>
#include <optional>
#include <stdexcept>

namespace nebula::node::collect {

namespace {

bool name_char(char c, bool first) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' || (!first && c >= '0' && c <= '9');
}

void skip_spaces(std::string_view s, std::size_t& i) {
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
}

std::string read_name(std::string_view s, std::size_t& i) {
  const std::size_t start = i;
  while (i < s.size() && name_char(s[i], i == start)) ++i;
  return std::string(s.substr(start, i - start));
}

// {a="x",b!="y\"z"} starting at '{'; leaves i after '}'. `!=` is accepted
// only when `excluded` is given (selectors, not exposition). False if malformed.
bool read_labels(std::string_view s, std::size_t& i, std::map<std::string, std::string>& out,
                 std::map<std::string, std::string>* excluded = nullptr) {
  ++i;  // '{'
  for (;;) {
    skip_spaces(s, i);
    if (i < s.size() && s[i] == '}') {
      ++i;
      return true;
    }
    const std::string key = read_name(s, i);
    skip_spaces(s, i);
    bool negated = false;
    if (excluded && i + 1 < s.size() && s[i] == '!' && s[i + 1] == '=') {
      negated = true;
      ++i;
    }
    if (key.empty() || i >= s.size() || s[i] != '=') return false;
    ++i;
    skip_spaces(s, i);
    if (i >= s.size() || s[i] != '"') return false;
    ++i;
    std::string value;
    for (;; ++i) {
      if (i >= s.size()) return false;
      if (s[i] == '"') break;
      if (s[i] == '\\' && i + 1 < s.size()) {
        const char e = s[++i];
        value += e == 'n' ? '\n' : e;  // \\ \" \n
      } else {
        value += s[i];
      }
    }
    ++i;  // closing quote
    (negated ? *excluded : out)[key] = std::move(value);
    skip_spaces(s, i);
    if (i < s.size() && s[i] == ',') ++i;
  }
}

std::optional<double> read_value(std::string_view token) {
  if (token == "NaN") return std::numeric_limits<double>::quiet_NaN();
  if (token == "+Inf" || token == "Inf") return std::numeric_limits<double>::infinity();
  if (token == "-Inf") return -std::numeric_limits<double>::infinity();
  try {
    std::size_t used = 0;
    const double v = std::stod(std::string(token), &used);
    if (used != token.size()) return std::nullopt;
    return v;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace

std::vector<PromSample> parse_prometheus_text(std::string_view text, std::vector<std::string>* problems) {
  std::vector<PromSample> out;
  std::size_t line_no = 0;
  while (!text.empty()) {
    const auto nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    std::size_t i = 0;
    skip_spaces(line, i);
    if (i == line.size() || line[i] == '#') continue;

    auto bad = [&](const char* why) {
      if (problems) problems->push_back("line " + std::to_string(line_no) + ": " + why);
    };
    PromSample s;
    s.name = read_name(line, i);
    if (s.name.empty()) {
      bad("expected a metric name");
      continue;
    }
    if (i < line.size() && line[i] == '{' && !read_labels(line, i, s.labels)) {
      bad("malformed labels");
      continue;
    }
    skip_spaces(line, i);
    std::size_t end = i;
    while (end < line.size() && line[end] != ' ' && line[end] != '\t') ++end;
    const auto value = read_value(line.substr(i, end - i));
    if (!value) {
      bad("malformed value");
      continue;
    }
    s.value = *value;
    out.push_back(std::move(s));
  }
  return out;
}

bool PromSelector::matches(const PromSample& s) const {
  if (s.name != name) return false;
  for (const auto& [k, v] : labels) {
    auto it = s.labels.find(k);
    if (it == s.labels.end() || it->second != v) return false;
  }
  for (const auto& [k, v] : excluded) {
    auto it = s.labels.find(k);
    if ((it == s.labels.end() ? std::string() : it->second) == v) return false;
  }
  return true;
}

PromSelector parse_selector(std::string_view text) {
  PromSelector sel;
  std::size_t i = 0;
  skip_spaces(text, i);
  sel.name = read_name(text, i);
  if (sel.name.empty()) throw std::invalid_argument("'" + std::string(text) + "' is not a metric name");
  if (i < text.size() && text[i] == '{' && !read_labels(text, i, sel.labels, &sel.excluded))
    throw std::invalid_argument("'" + std::string(text) + "': malformed label matchers (use name{label=\"value\"})");
  skip_spaces(text, i);
  if (i != text.size()) throw std::invalid_argument("'" + std::string(text) + "': unexpected text after the selector");
  return sel;
}

}  // namespace nebula::node::collect
