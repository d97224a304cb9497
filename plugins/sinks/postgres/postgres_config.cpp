#include "postgres_config.hpp"

#include <unistd.h>

#include <fstream>
#include <sstream>

#include <libpq-fe.h>

#include <nebula/config_helpers.hpp>
#include <nebula/config_whole_number.hpp>

namespace nebula::sinks::postgres {
namespace {

// PostgreSQL identifiers are at most 63 bytes; the longest index name adds
// 25 to the prefix. Lower case only: unquoted SQL by an operator finds them.
constexpr size_t kMaxSchemaBytes = 63;
constexpr size_t kMaxPrefixBytes = 32;
constexpr size_t kMaxHostIdBytes = 256;

bool plain_identifier(const std::string& s) {
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (!((c >= 'a' && c <= 'z') || c == '_' || (c >= '0' && c <= '9' && i > 0))) return false;
  }
  return true;
}

void read_name(const nlohmann::json& cfg, const char* key, std::string& value, size_t max_bytes, bool may_be_empty,
               ConfigErrors* errors) {
  value = config::text(cfg, key, value, errors);
  if (!errors || !cfg.contains(key) || !cfg.at(key).is_string()) return;
  const std::string pointer = std::string("/") + key;
  if (value.empty() && !may_be_empty) errors->add(pointer, "must not be empty");
  else if (value.size() > max_bytes)
    errors->add(pointer, "must be at most " + std::to_string(max_bytes) + " bytes, got '" + value + "'");
  else if (!plain_identifier(value))
    errors->add(pointer, "must be lower-case letters, digits and underscores (not first: a digit), got '" + value + "'");
}

std::string file_text(const std::string& path, ConfigErrors* errors) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  std::string s = text.str();
  // `echo ... > file` leaves a newline that is not part of the DSN.
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  if (errors && !in) errors->add("/dsn_file", "cannot read '" + path + "'");
  else if (errors && s.empty()) errors->add("/dsn_file", "'" + path + "' is empty");
  return s;
}

void read_dsn(const nlohmann::json& cfg, Config& c, ConfigErrors* errors) {
  const bool inline_dsn = cfg.is_object() && cfg.contains("dsn");
  const bool from_file = cfg.is_object() && cfg.contains("dsn_file");
  if (!inline_dsn && !from_file) {
    if (errors)
      errors->add("/dsn", "required: a libpq connection string such as 'host=db.example port=5432 dbname=nebula "
                          "user=pool' or a postgresql:// URI (or dsn_file naming a file that holds one)");
    return;
  }
  if (inline_dsn && from_file) {
    if (errors) errors->add("/dsn_file", "give dsn or dsn_file, not both");
    return;
  }
  const char* key = inline_dsn ? "dsn" : "dsn_file";
  const std::string value = config::text(cfg, key, "", errors);
  if (value.empty()) {
    if (errors && cfg.at(key).is_string()) errors->add(std::string("/") + key, "must not be empty");
    return;
  }
  c.dsn = inline_dsn ? value : file_text(value, errors);
  if (c.dsn.empty()) return;
  char* why = nullptr;
  PQconninfoOption* parsed = PQconninfoParse(c.dsn.c_str(), &why);
  // The DSN itself is never echoed: it may hold a password.
  if (!parsed && errors)
    errors->add(std::string("/") + key, std::string("not a libpq connection string: ") + (why ? why : "out of memory"));
  PQconninfoFree(parsed);
  PQfreemem(why);
}

}  // namespace

Config parse_config(const nlohmann::json& cfg, ConfigErrors* errors) {
  Config c;
  if (errors)
    config::reject_unknown_keys(cfg,
                                {"dsn", "dsn_file", "schema", "table_prefix", "host_id", "retention_age_s",
                                 "retention_max_rows", "retention_check_s", "connect_timeout_s"},
                                *errors);
  read_dsn(cfg, c, errors);
  read_name(cfg, "schema", c.schema, kMaxSchemaBytes, false, errors);
  read_name(cfg, "table_prefix", c.table_prefix, kMaxPrefixBytes, true, errors);
  c.host_id = config::text(cfg, "host_id", c.host_id, errors);
  if (errors && cfg.contains("host_id") && cfg.at("host_id").is_string() &&
      (c.host_id.empty() || c.host_id.size() > kMaxHostIdBytes))
    errors->add("/host_id", "must be 1 to " + std::to_string(kMaxHostIdBytes) + " bytes (leave it out for the hostname)");
  c.retention_age_s = config::number(cfg, "retention_age_s", c.retention_age_s, 60, 3650 * 86400.0, errors);
  c.retention_max_rows = config::whole_number(cfg, "retention_max_rows", c.retention_max_rows, 1, 1e12, errors);
  c.retention_check_s = config::number(cfg, "retention_check_s", c.retention_check_s, 1, 86400, errors);
  c.connect_timeout_s = config::whole_number(cfg, "connect_timeout_s", c.connect_timeout_s, 1, 300, errors);
  return c;
}

std::string effective_host_id(const Config& config) {
  if (!config.host_id.empty()) return config.host_id;
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) != 0 || !name[0]) return "unknown-host";
  return name;
}

}  // namespace nebula::sinks::postgres
