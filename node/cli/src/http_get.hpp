// Plain HTTP/1.1 (Boost.Beast): a GET to scrape a Prometheus endpoint, a POST
// for JSON-RPC.
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

// "http://host[:port][/path]"; no path means `default_target`. Throws std::invalid_argument.
HttpUrl parse_http_url(std::string_view url, std::string_view default_target = "/metrics");

// The body of a 200 answer; throws std::runtime_error otherwise (connect
// failure, timeout, another status).
std::string http_get(const HttpUrl& url, std::chrono::milliseconds timeout);

struct HttpReply {
  unsigned status = 0;
  std::string body;
};

// A POST of `body`; any status is returned (a JSON-RPC server answers errors
// in the body, other servers with a status). Throws std::runtime_error on a
// connect failure or timeout.
HttpReply http_post(const HttpUrl& url, std::string_view body, std::string_view content_type,
                    std::chrono::milliseconds timeout);

// "http://host:port/target", for messages.
std::string url_text(const HttpUrl& url);

}  // namespace nebula::node::collect
