// An HTTP(S) URL a sink POSTs to, "http[s]://host[:port][/path]", split for
// the connection: what to resolve, what to send as Host, and the path.
#pragma once

#include <string>
#include <string_view>

namespace nebula::sinks {

struct HttpUrl {
  bool tls = false;         // https://
  std::string host;         // without brackets, for the resolver and the certificate check
  std::string port;         // 80 / 443 when the URL names none
  std::string host_header;  // the authority as written ("host:port"), sent as Host
  std::string path;         // from the first '/' on, query included; "" when the URL names none

  std::string target() const { return path.empty() ? "/" : path; }  // what the request line carries
  std::string text() const;                                         // the URL again, for messages
};

// Throws nebula::Error(NEBULA_INVALID, "endpoint '<url>': <what is wrong>").
// A fragment is refused: it would never reach the server.
HttpUrl parse_http_url(std::string_view url);

}  // namespace nebula::sinks
