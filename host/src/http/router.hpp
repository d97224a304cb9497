// Route table: patterns with {param} segments, matched segment by segment.
// Safe to add routes while requests are being matched.
#pragma once

#include <map>
#include <memory>
#include <shared_mutex>
#include <string>
#include <vector>

#include "http/http_server.hpp"

namespace nebula::http::detail {

struct RouteMatch {
  std::shared_ptr<const Handler> handler;     // set when path and method matched
  std::map<std::string, std::string> params;  // {name} captures of that route
  std::vector<std::string> allowed_methods;   // path known, method not: for 405 + Allow
};

class Router {
 public:
  // Throws std::invalid_argument on a malformed pattern. Registering the
  // same method and pattern again replaces the handler.
  void add(const std::string& method, const std::string& pattern, Handler handler);

  // `segments` are the decoded path segments (see decode_path_segments).
  // When several patterns match, literal segments beat {params}, leftmost first,
  // so "/agents/stats" wins over "/agents/{name}".
  RouteMatch match(const std::string& method, const std::vector<std::string>& segments) const;

 private:
  struct Segment {
    std::string text;  // literal text, or the parameter name
    bool is_param = false;
  };
  struct Route {
    std::string pattern;
    std::vector<Segment> segments;
    std::map<std::string, std::shared_ptr<const Handler>> handlers;  // by method
  };

  static std::vector<Segment> parse_pattern(const std::string& pattern);
  static bool matches(const Route& route, const std::vector<std::string>& segments);
  static bool more_specific(const Route& a, const Route& b);

  mutable std::shared_mutex mu_;
  std::vector<Route> routes_;
};

}  // namespace nebula::http::detail
