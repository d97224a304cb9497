#include "alertmanager_url.hpp"

#include <nebula/host.hpp>

namespace nebula::alertmanager {

AlertmanagerUrl parse_alertmanager_url(std::string_view url) {
  const std::string original(url);
  auto bad = [&](const std::string& why) { return Error(NEBULA_INVALID, "url '" + original + "': " + why); };
  AlertmanagerUrl out;
  out.tls = url.starts_with("https://");
  if (!out.tls && !url.starts_with("http://")) throw bad("must start with http:// or https://");
  url.remove_prefix(out.tls ? 8 : 7);
  if (url.find_first_of("?#") != std::string_view::npos) throw bad("must not carry a query or fragment");

  const auto slash = url.find('/');
  const std::string_view authority = url.substr(0, slash);
  if (slash != std::string_view::npos) {
    std::string_view prefix = url.substr(slash);
    while (!prefix.empty() && prefix.back() == '/') prefix.remove_suffix(1);
    out.prefix = std::string(prefix);
  }
  std::string_view host = authority, port;
  if (authority.starts_with('[')) {  // [::1]:9093
    const auto close = authority.find(']');
    if (close == std::string_view::npos) throw bad("unterminated IPv6 address");
    host = authority.substr(1, close - 1);
    const std::string_view rest = authority.substr(close + 1);
    if (!rest.empty() && rest.front() != ':') throw bad("expected ':' after the IPv6 address");
    if (!rest.empty()) port = rest.substr(1);
  } else if (const auto colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  if (host.empty()) throw bad("no host");
  if (port.empty()) port = out.tls ? "443" : "80";
  if (port.size() > 5 || port.find_first_not_of("0123456789") != std::string_view::npos ||
      std::stoul(std::string(port)) > 65535 || std::stoul(std::string(port)) == 0)
    throw bad("port must be a number from 1 to 65535");
  out.host = std::string(host);
  out.port = std::string(port);
  out.host_header = std::string(authority);
  return out;
}

}  // namespace nebula::alertmanager
