// The configured Alertmanager address, "http[s]://host[:port][/prefix]",
// split for the client. A prefix (Alertmanager behind a path, e.g. with
// --web.route-prefix) is kept; /api/v2/alerts is appended to it.
#pragma once

#include <string>
#include <string_view>

namespace nebula::alertmanager {

struct AlertmanagerUrl {
  std::string host;         // without brackets, for the resolver
  std::string port;         // 80 / 443 when the URL names none
  std::string host_header;  // as written: "host:port"
  std::string prefix;       // "" or "/path" without a trailing '/'
  bool tls = false;         // https://

  std::string alerts_target() const { return prefix + "/api/v2/alerts"; }
};

// Throws nebula::Error(NEBULA_INVALID) saying what is wrong with `url`.
AlertmanagerUrl parse_alertmanager_url(std::string_view url);

}  // namespace nebula::alertmanager
