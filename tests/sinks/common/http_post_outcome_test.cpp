// What an answer, or none, makes of a sink's delivery: 2xx OK, 429/5xx and
// no answer RETRY (Retry-After quoted), any other status INVALID.
#include <gtest/gtest.h>

#include "http_post_outcome.hpp"

namespace {

using nebula::sinks::no_answer;
using nebula::sinks::outcome_of;

TEST(HttpPostOutcome, AnySuccessIsOkWithoutAMessage) {
  for (unsigned status : {200u, 201u, 202u, 204u, 299u}) {
    const auto out = outcome_of(status, "30", "ignored");
    EXPECT_EQ(out.status, NEBULA_OK) << status;
    EXPECT_EQ(out.message, "") << status;
  }
}

TEST(HttpPostOutcome, OverloadAndServerErrorsAreRetriedQuotingRetryAfter) {
  const auto busy = outcome_of(503, "30", "down for maintenance");
  EXPECT_EQ(busy.status, NEBULA_RETRY);
  EXPECT_EQ(busy.message, "HTTP 503: down for maintenance; Retry-After: 30");
  EXPECT_EQ(outcome_of(429, "", "").message, "HTTP 429");
  EXPECT_EQ(outcome_of(429, "", "").status, NEBULA_RETRY);
  EXPECT_EQ(outcome_of(500, "", "boom").status, NEBULA_RETRY);
}

TEST(HttpPostOutcome, OtherStatusesAreInvalidQuotingTheStartOfTheReason) {
  const auto refused = outcome_of(400, "", "unknown topic");
  EXPECT_EQ(refused.status, NEBULA_INVALID);
  EXPECT_EQ(refused.message, "HTTP 400: unknown topic");
  EXPECT_EQ(outcome_of(301, "", "").status, NEBULA_INVALID);  // redirects are not followed
  EXPECT_EQ(outcome_of(404, "5", "").message, "HTTP 404");    // Retry-After only matters for a retry
  const auto long_reason = outcome_of(422, "", std::string(1000, 'x'));
  EXPECT_EQ(long_reason.message, "HTTP 422: " + std::string(200, 'x'));
}

TEST(HttpPostOutcome, NoAnswerIsRetriedSayingWhy) {
  const auto out = no_answer("cannot connect to h:1: Connection refused");
  EXPECT_EQ(out.status, NEBULA_RETRY);
  EXPECT_EQ(out.message, "cannot connect to h:1: Connection refused");
}

}  // namespace
