// What the receiver's answer means for a delivered batch (nebula_sink_v1):
//   2xx                 OK
//   429, 5xx            RETRY: the host sends the batch again after a backoff;
//                       a Retry-After header is quoted in the message
//   anything else       INVALID: the host offers the insights one by one and
//   (4xx, 3xx)          dead-letters those refused again (redirects are not followed)
#pragma once

#include <string>
#include <string_view>

#include <nebula/nebula_plugin.h>

namespace nebula::sink::webhook {

struct Outcome {
  nebula_status status = NEBULA_OK;
  std::string message;  // "HTTP 503: <start of the body>; Retry-After: 30"
};

Outcome outcome_of(unsigned http_status, std::string_view retry_after, std::string_view body);

}  // namespace nebula::sink::webhook
