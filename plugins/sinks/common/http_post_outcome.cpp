#include "http_post_outcome.hpp"

namespace nebula::sinks {

PostOutcome outcome_of(unsigned http_status, std::string_view retry_after, std::string_view reason) {
  PostOutcome out;
  if (http_status >= 200 && http_status < 300) return out;
  constexpr size_t kReasonQuote = 200;  // enough to say why, short enough for a log line
  out.message = "HTTP " + std::to_string(http_status);
  if (!reason.empty()) out.message += ": " + std::string(reason.substr(0, kReasonQuote));
  if (http_status == 429 || http_status >= 500) {
    out.status = NEBULA_RETRY;
    if (!retry_after.empty()) out.message += "; Retry-After: " + std::string(retry_after);
  } else {
    out.status = NEBULA_INVALID;
  }
  return out;
}

PostOutcome no_answer(std::string why) { return {NEBULA_RETRY, std::move(why)}; }

}  // namespace nebula::sinks
