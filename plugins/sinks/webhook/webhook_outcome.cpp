#include "webhook_outcome.hpp"

namespace nebula::sink::webhook {

Outcome outcome_of(unsigned http_status, std::string_view retry_after, std::string_view body) {
  Outcome out;
  if (http_status >= 200 && http_status < 300) return out;
  constexpr size_t kBodyQuote = 200;  // enough to say why, short enough for a log line
  out.message = "HTTP " + std::to_string(http_status);
  if (!body.empty()) out.message += ": " + std::string(body.substr(0, kBodyQuote));
  if (http_status == 429 || http_status >= 500) {
    out.status = NEBULA_RETRY;
    if (!retry_after.empty()) out.message += "; Retry-After: " + std::string(retry_after);
  } else {
    out.status = NEBULA_INVALID;
  }
  return out;
}

}  // namespace nebula::sink::webhook
