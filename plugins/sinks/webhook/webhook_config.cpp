#include "webhook_config.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

#include <nebula/config_helpers.hpp>
#include <nebula/config_whole_number.hpp>

#include "http/security/tls_context.hpp"

namespace nebula::sink::webhook {
namespace {

// Headers the sink writes itself; configuring one would forge or break the request.
constexpr const char* kReserved[] = {"content-type",       "content-length",    "host",       "connection",
                                     "transfer-encoding", "x-nebula-signature", "x-nebula-timestamp"};

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

bool is_token(const std::string& name) {
  if (name.empty()) return false;
  return std::all_of(name.begin(), name.end(), [](unsigned char c) {
    return std::isalnum(c) || std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
  });
}

void read_url(const nlohmann::json& cfg, Config& c, ConfigErrors* errors) {
  if (!cfg.contains("url")) {
    if (errors) errors->add("/url", "required: where to POST, e.g. https://hooks.example.com/nebula");
    return;
  }
  c.url = config::text(cfg, "url", "", errors);
  if (!cfg.at("url").is_string()) return;
  try {
    c.endpoint = sinks::parse_http_url(c.url);
  } catch (const Error& e) {
    if (errors) errors->add("/url", e.what());
  }
}

void read_secret(const nlohmann::json& cfg, Config& c, ConfigErrors* errors) {
  c.secret = config::text(cfg, "secret", "", errors);
  if (errors && cfg.contains("secret") && cfg.at("secret").is_string() && c.secret.empty())
    errors->add("/secret", "must not be empty (leave it out to send unsigned)");
  const std::string file = config::text(cfg, "secret_file", "", errors);
  if (file.empty()) {
    if (errors && cfg.contains("secret_file") && cfg.at("secret_file").is_string())
      errors->add("/secret_file", "must not be empty");
    return;
  }
  if (cfg.contains("secret")) {
    if (errors) errors->add("/secret_file", "give secret or secret_file, not both");
    return;
  }
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  c.secret = text.str();
  // `echo s3cret > file` leaves a newline that is not part of the secret.
  while (!c.secret.empty() && (c.secret.back() == '\n' || c.secret.back() == '\r')) c.secret.pop_back();
  if (errors && !in) errors->add("/secret_file", "cannot read '" + file + "'");
  else if (errors && c.secret.empty()) errors->add("/secret_file", "'" + file + "' is empty");
}

void read_headers(const nlohmann::json& cfg, Config& c, ConfigErrors* errors) {
  if (!cfg.contains("headers")) return;
  const auto& headers = cfg.at("headers");
  if (!headers.is_object()) {
    if (errors) errors->add("/headers", "must be a mapping of header name to value, e.g. {Authorization: Bearer x}");
    return;
  }
  for (auto it = headers.begin(); it != headers.end(); ++it) {
    const std::string pointer = "/headers/" + it.key();
    const bool reserved = std::find(std::begin(kReserved), std::end(kReserved), lower(it.key())) != std::end(kReserved);
    if (!is_token(it.key())) {
      if (errors) errors->add(pointer, "is not a valid header name");
    } else if (reserved) {
      if (errors) errors->add(pointer, "is set by the sink itself");
    } else if (!it.value().is_string()) {
      if (errors) errors->add(pointer, "must be a string");
    } else if (it.value().get<std::string>().find_first_of("\r\n") != std::string::npos) {
      if (errors) errors->add(pointer, "must not contain a line break");
    } else {
      c.headers.emplace_back(it.key(), it.value().get<std::string>());
    }
  }
}

void read_ca_file(const nlohmann::json& cfg, Config& c, ConfigErrors* errors) {
  c.ca_file = config::text(cfg, "ca_file", "", errors);
  if (!errors || !cfg.contains("ca_file") || !cfg.at("ca_file").is_string()) return;
  if (c.ca_file.empty()) return errors->add("/ca_file", "must not be empty (leave it out for the system trust store)");
  if (!c.endpoint.tls) return errors->add("/ca_file", "only for https:// urls");
  try {
    security::make_client_context({c.ca_file, "", "", ""});
  } catch (const security::TlsFileError& e) {
    errors->add("/ca_file", e.what());
  }
}

}  // namespace

Config parse_config(const nlohmann::json& cfg, ConfigErrors* errors) {
  Config c;
  if (errors)
    config::reject_unknown_keys(cfg, {"url", "secret", "secret_file", "timeout_ms", "headers", "ca_file"}, *errors);
  read_url(cfg, c, errors);
  read_secret(cfg, c, errors);
  c.timeout_ms = config::whole_number(cfg, "timeout_ms", c.timeout_ms, 1, 600000, errors);
  read_headers(cfg, c, errors);
  read_ca_file(cfg, c, errors);
  return c;
}

}  // namespace nebula::sink::webhook
