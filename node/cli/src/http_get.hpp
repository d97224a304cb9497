// A plain HTTP/1.1 GET (Boost.Beast), enough to scrape a Prometheus endpoint.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace nebula::node::collect {

struct HttpUrl {
  std::string host;
  std::string port = "80";
  std::string target = "/metrics";
};

// "http://host[:port][/path]"; no path means /metrics. Throws std::invalid_argument.
HttpUrl parse_http_url(std::string_view url);

// The body of a 200 answer; throws std::runtime_error otherwise (connect
// failure, timeout, another status).
std::string http_get(const HttpUrl& url, std::chrono::milliseconds timeout);

}  // namespace nebula::node::collect
