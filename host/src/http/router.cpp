#include "http/router.hpp"

#include <algorithm>
#include <mutex>
#include <set>
#include <stdexcept>

namespace nebula::http::detail {

std::vector<Router::Segment> Router::parse_pattern(const std::string& pattern) {
  if (pattern.empty() || pattern.front() != '/')
    throw std::invalid_argument("route pattern must start with '/': " + pattern);

  std::vector<Segment> segments;
  std::set<std::string> param_names;
  size_t start = 1;
  for (;;) {
    const auto slash = pattern.find('/', start);
    std::string text = pattern.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    const bool opens = text.find('{') != std::string::npos;
    const bool closes = text.find('}') != std::string::npos;
    if (opens || closes) {
      // Only whole-segment captures: "{name}", not "file.{ext}".
      if (text.size() < 3 || text.front() != '{' || text.back() != '}' ||
          text.find_first_of("{}", 1) != text.size() - 1)
        throw std::invalid_argument("bad route parameter '" + text + "' in " + pattern);
      std::string name = text.substr(1, text.size() - 2);
      if (!param_names.insert(name).second)
        throw std::invalid_argument("duplicate route parameter '" + name + "' in " + pattern);
      segments.push_back({std::move(name), true});
    } else {
      segments.push_back({std::move(text), false});
    }
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return segments;
}

void Router::add(const std::string& method, const std::string& pattern, Handler handler) {
  if (method.empty()) throw std::invalid_argument("route method must not be empty");
  if (!handler) throw std::invalid_argument("route handler must not be empty: " + pattern);
  auto segments = parse_pattern(pattern);
  auto shared = std::make_shared<const Handler>(std::move(handler));

  std::unique_lock lock(mu_);
  auto same_pattern = std::find_if(routes_.begin(), routes_.end(),
                                   [&](const Route& r) { return r.pattern == pattern; });
  if (same_pattern == routes_.end()) {
    routes_.push_back({pattern, std::move(segments), {}});
    same_pattern = std::prev(routes_.end());
  }
  same_pattern->handlers[method] = std::move(shared);
}

bool Router::matches(const Route& route, const std::vector<std::string>& segments) {
  if (route.segments.size() != segments.size()) return false;
  for (size_t i = 0; i < segments.size(); ++i) {
    const Segment& s = route.segments[i];
    if (s.is_param ? segments[i].empty() : s.text != segments[i]) return false;
  }
  return true;
}

bool Router::more_specific(const Route& a, const Route& b) {
  // Same length by construction (both matched the same path).
  for (size_t i = 0; i < a.segments.size(); ++i) {
    if (a.segments[i].is_param != b.segments[i].is_param) return !a.segments[i].is_param;
  }
  return false;
}

RouteMatch Router::match(const std::string& method, const std::vector<std::string>& segments) const {
  std::shared_lock lock(mu_);
  const Route* best = nullptr;
  std::set<std::string> allowed;
  for (const Route& route : routes_) {
    if (!matches(route, segments)) continue;
    for (const auto& [m, handler] : route.handlers) allowed.insert(m);
    if (route.handlers.count(method) && (!best || more_specific(route, *best))) best = &route;
  }

  RouteMatch result;
  if (!best) {
    result.allowed_methods.assign(allowed.begin(), allowed.end());
    return result;
  }
  result.handler = best->handlers.at(method);
  for (size_t i = 0; i < segments.size(); ++i) {
    if (best->segments[i].is_param) result.params[best->segments[i].text] = segments[i];
  }
  return result;
}

}  // namespace nebula::http::detail
