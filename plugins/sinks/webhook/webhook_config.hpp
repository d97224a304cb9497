// Settings of the webhook sink, read from its pipeline config and checked in
// one place so validate() and the constructor can never disagree.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include <nebula/host.hpp>

#include "http_url.hpp"

namespace nebula::sink::webhook {

struct Config {
  std::string url;                                           // required, http:// or https://
  sinks::HttpUrl endpoint;                                   // url, parsed (posts to "/" when it names no path)
  std::string secret;                                        // from secret or secret_file; "" = unsigned
  uint32_t timeout_ms = 5000;                                // connect, and again request + answer
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers, as configured
  std::string ca_file;                                       // https: CA bundle; "" = system trust store
};

// Reads a config object. With `errors`, every problem is added with its JSON
// pointer (unknown keys, unreadable secret_file or ca_file included); without,
// bad values keep defaults. secret_file and ca_file resolve against the
// working directory, like the transports' TLS files.
Config parse_config(const nlohmann::json& cfg, ConfigErrors* errors = nullptr);

}  // namespace nebula::sink::webhook
