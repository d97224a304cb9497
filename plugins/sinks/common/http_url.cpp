#include "http_url.hpp"

#include <nebula/host.hpp>

namespace nebula::sinks {

namespace {

struct Authority {
  std::string_view host, port;
};

// "host", "host:port", "[v6]" or "[v6]:port"; `bad` makes the error to throw.
template <class Bad>
Authority split_authority(std::string_view authority, Bad bad) {
  if (!authority.starts_with('[')) {
    const auto colon = authority.rfind(':');
    if (colon == std::string_view::npos) return {authority, {}};
    return {authority.substr(0, colon), authority.substr(colon + 1)};
  }
  const auto close = authority.find(']');
  if (close == std::string_view::npos) throw bad("unterminated IPv6 address");
  const std::string_view rest = authority.substr(close + 1);
  if (!rest.empty() && rest.front() != ':') throw bad("expected ':' after IPv6 address");
  return {authority.substr(1, close - 1), rest.empty() ? rest : rest.substr(1)};
}

}  // namespace

std::string HttpUrl::text() const { return (tls ? "https://" : "http://") + host_header + path; }

HttpUrl parse_http_url(std::string_view url) {
  const std::string original(url);
  auto bad = [&](const std::string& why) { return Error(NEBULA_INVALID, "endpoint '" + original + "': " + why); };
  HttpUrl out;
  out.tls = url.starts_with("https://");
  if (!out.tls && !url.starts_with("http://")) throw bad("must start with http:// or https://");
  url.remove_prefix(out.tls ? 8 : 7);
  if (url.find('#') != std::string_view::npos) throw bad("must not carry a fragment");

  const auto end = url.find_first_of("/?");
  const std::string_view authority = url.substr(0, end);
  if (end != std::string_view::npos) {
    const std::string_view rest = url.substr(end);
    if (rest.front() == '?') out.path = '/';  // "http://h?x" asks for "/?x"
    out.path.append(rest);
  }
  auto [host, port] = split_authority(authority, bad);
  if (host.empty()) throw bad("no host");
  if (port.empty()) port = out.tls ? "443" : "80";
  if (port.find_first_not_of("0123456789") != std::string_view::npos) throw bad("port must be a number");
  if (port.size() > 5 || std::stoul(std::string(port)) > 65535 || std::stoul(std::string(port)) == 0)
    throw bad("port out of range");
  out.host = std::string(host);
  out.port = std::string(port);
  out.host_header = std::string(authority);
  return out;
}

}  // namespace nebula::sinks
