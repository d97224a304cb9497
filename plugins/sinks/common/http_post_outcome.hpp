// What a POST's answer, or its lack, means for a delivery (nebula_sink_v1):
//   2xx                          OK
//   429, 5xx                     RETRY: the host delivers again after a backoff;
//                                a Retry-After header is quoted in the message
//   no answer (refused, TLS      RETRY, saying why
//   failure, timeout, lost)
//   anything else (4xx, also     INVALID: the host offers the insights one by one
//   3xx: no redirects followed)  and dead-letters those refused again
#pragma once

#include <string>
#include <string_view>

#include <nebula/nebula_plugin.h>

namespace nebula::sinks {

struct PostOutcome {
  nebula_status status = NEBULA_OK;
  std::string message;  // "" when OK; else e.g. "HTTP 503: <reason>; Retry-After: 30"
};

// `reason`: what the answer's body says (its start is quoted), "" for nothing.
PostOutcome outcome_of(unsigned http_status, std::string_view retry_after, std::string_view reason);

// No answer came; `why` names the cause and the peer.
PostOutcome no_answer(std::string why);

}  // namespace nebula::sinks
