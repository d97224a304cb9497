#include "http_endpoint.hpp"

#include <nebula/host.hpp>

#include "http_config.hpp"

namespace nebula::transport::http {

HttpEndpoint parse_http_endpoint(std::string_view url) {
  const std::string original(url);
  auto bad = [&](const std::string& why) { return Error(NEBULA_INVALID, "endpoint '" + original + "': " + why); };
  HttpEndpoint ep;
  ep.tls = url.substr(0, 8) == "https://";
  if (!ep.tls && url.substr(0, 7) != "http://") throw bad("must start with http:// or https://");
  url.remove_prefix(ep.tls ? 8 : 7);

  auto slash = url.find('/');
  std::string_view authority = url.substr(0, slash);
  ep.target = slash == std::string_view::npos ? kDefaultIngestPath : std::string(url.substr(slash));
  if (authority.empty()) throw bad("no host");

  std::string_view host, port;
  if (authority.front() == '[') {  // [::1]:7000
    auto close = authority.find(']');
    if (close == std::string_view::npos) throw bad("unterminated IPv6 address");
    host = authority.substr(1, close - 1);
    std::string_view rest = authority.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') throw bad("expected ':' after IPv6 address");
      port = rest.substr(1);
    }
  } else {
    auto colon = authority.rfind(':');
    host = authority.substr(0, colon);
    if (colon != std::string_view::npos) port = authority.substr(colon + 1);
  }
  if (host.empty()) throw bad("no host");
  if (port.empty()) port = ep.tls ? "443" : "80";
  for (char c : port)
    if (c < '0' || c > '9') throw bad("port must be a number");
  if (port.size() > 5 || std::stoul(std::string(port)) > 65535) throw bad("port out of range");
  ep.host = std::string(host);
  ep.port = std::string(port);
  ep.host_header = std::string(authority);
  return ep;
}

}  // namespace nebula::transport::http
