// "http[s]://host[:port][/path]" as the client needs it.
#pragma once

#include <string>
#include <string_view>

namespace nebula::transport::http {

struct HttpEndpoint {
  std::string host;         // without brackets, for the resolver
  std::string port;         // "80" when the URL names none
  std::string target;       // path (+query), defaults to the ingest path
  std::string host_header;  // "host:port" as sent in Host
  bool tls = false;         // https://
};

// Throws nebula::Error(NEBULA_INVALID) naming what is wrong.
HttpEndpoint parse_http_endpoint(std::string_view url);

}  // namespace nebula::transport::http
