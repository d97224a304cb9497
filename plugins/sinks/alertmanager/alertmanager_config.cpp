#include "alertmanager_config.hpp"

#include <algorithm>

#include <nebula/config_helpers.hpp>
#include <nebula/config_whole_number.hpp>

#include "alert_labels.hpp"
#include "alertmanager_api.hpp"

namespace nebula::alertmanager {

namespace {

bool is_http_url(const std::string& url) { return url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0; }

std::map<std::string, std::string> read_static_labels(const nlohmann::json& cfg, ConfigErrors* errors) {
  std::map<std::string, std::string> labels;
  if (!cfg.contains("labels")) return labels;
  const auto& given = cfg.at("labels");
  if (!given.is_object()) {
    if (errors) errors->add("/labels", "must be a mapping of label name to text");
    return labels;
  }
  for (auto it = given.begin(); it != given.end(); ++it) {
    const std::string pointer = "/labels/" + it.key();
    if (!is_label_name(it.key())) {
      if (errors) errors->add(pointer, "'" + it.key() + "' is not a label name ([a-zA-Z_][a-zA-Z0-9_]*)");
    } else if (is_reserved_label(it.key())) {
      if (errors) errors->add(pointer, "'" + it.key() + "' is set by the sink itself and cannot be overridden");
    } else if (!it.value().is_string() || it.value().get_ref<const std::string&>().empty()) {
      if (errors) errors->add(pointer, "must be a non-empty string");
    } else {
      labels[it.key()] = it.value().get<std::string>();
    }
  }
  return labels;
}

}  // namespace

bool is_label_name(const std::string& name) {
  if (name.empty() || name.rfind("__", 0) == 0) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    if (!letter && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

Config parse_config(const nlohmann::json& cfg, ConfigErrors* errors) {
  Config c;
  if (errors)
    config::reject_unknown_keys(cfg,
                                {"url", "resend_interval_s", "resolve_timeout_s", "timeout_ms", "labels",
                                 "generator_url", "max_alerts"},
                                *errors);
  c.url = config::text(cfg, "url", "", errors);
  if (errors) {
    if (!cfg.contains("url")) errors->add("/url", "is required (the Alertmanager, e.g. http://127.0.0.1:9093)");
    else if (cfg.at("url").is_string()) {
      try {
        alerts_endpoint(c.url);
      } catch (const Error& e) {
        errors->add("/url", e.what());
      }
    }
  }
  c.resend_interval_s = config::number(cfg, "resend_interval_s", c.resend_interval_s, 1, 3600, errors);
  // An alert must outlive the gap until its next re-send, or Alertmanager
  // resolves it on its own between two re-sends and it flaps.
  const double resolve_default = std::max(c.resolve_timeout_s, 3 * c.resend_interval_s);
  c.resolve_timeout_s = config::number(cfg, "resolve_timeout_s", resolve_default, 2, 86400, errors);
  if (errors && c.resolve_timeout_s <= c.resend_interval_s)
    errors->add("/resolve_timeout_s", "must be longer than resend_interval_s (" +
                                          config::format_number(c.resend_interval_s) +
                                          "), or alerts resolve between two re-sends");
  c.timeout_ms = config::whole_number(cfg, "timeout_ms", c.timeout_ms, 100, 120000, errors);
  c.labels = read_static_labels(cfg, errors);
  c.generator_url = config::text(cfg, "generator_url", "", errors);
  if (errors && !c.generator_url.empty() && !is_http_url(c.generator_url))
    errors->add("/generator_url", "must start with http:// or https://");
  c.max_alerts = config::whole_number(cfg, "max_alerts", c.max_alerts, 1, 1e6, errors);
  return c;
}

}  // namespace nebula::alertmanager
