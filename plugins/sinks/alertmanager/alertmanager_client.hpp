// POST /api/v2/alerts to one Alertmanager over HTTP/1.1 (Boost.Beast), TLS
// for https:// (the server certificate checked against the system's trust
// store). One connection per POST: alerts go out on changes and once per
// re-send interval, too rarely to keep a connection warm. Blocking, bounded
// by timeout; one call at a time (deliver and the re-send timer never overlap).
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include <nebula/nebula_plugin.h>

#include "alertmanager_url.hpp"
#include "http/security/tls_context.hpp"

namespace nebula::alertmanager {

struct PostResult {
  nebula_status status = NEBULA_OK;  // OK, RETRY (try later) or INVALID (Alertmanager refused the alerts)
  unsigned http_status = 0;          // 0 when there was no answer
  std::string message;               // why, for logs and the host's error text
};

class AlertmanagerClient {
 public:
  // Throws nebula::Error(NEBULA_INVALID) for a bad URL.
  AlertmanagerClient(const std::string& url, std::chrono::milliseconds timeout);

  PostResult post_alerts(const std::string& body_json);
  std::string alerts_url() const;

 private:
  AlertmanagerUrl url_;
  std::chrono::milliseconds timeout_;
  security::TlsContext tls_;  // set for https://
};

// 2xx OK; 429 and 5xx RETRY; any other answer INVALID with Alertmanager's
// own message (exposed for unit tests).
PostResult post_result_from_answer(unsigned status, std::string_view body);

// Alertmanager answers errors as a JSON string ("start time must be before
// end time") or as {"code":..,"message":..}; else the body as it is.
std::string alertmanager_message(std::string_view body);

}  // namespace nebula::alertmanager
