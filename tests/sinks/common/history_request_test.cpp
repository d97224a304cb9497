// parse_history_request: defaults, every field's checks, and messages that
// name the field (they become the admin API's 400 answers).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nebula/host.hpp>

#include "history_cursor.hpp"
#include "history_request.hpp"

namespace nebula::sinks {
namespace {

using ::testing::HasSubstr;
using nlohmann::json;

// The message of the Error(NEBULA_INVALID) the request is refused with.
std::string refusal(const json& request) {
  try {
    parse_history_request(request);
  } catch (const Error& e) {
    EXPECT_EQ(e.status(), NEBULA_INVALID);
    return e.what();
  }
  ADD_FAILURE() << "accepted " << request.dump();
  return {};
}

TEST(HistoryRequest, EmptyMeansEverythingNewestHundred) {
  const auto r = parse_history_request(json::object());
  EXPECT_FALSE(r.topic || r.node_id || r.chain_id || r.since || r.until || r.after_id);
  EXPECT_EQ(r.limit, 100u);
}

TEST(HistoryRequest, ReadsEveryField) {
  const auto r = parse_history_request({{"topic", "patterns"},
                                        {"node_id", "testnet-3"},
                                        {"chain_id", "testnet"},
                                        {"since", 1767225600},
                                        {"until", 1767225900.5},
                                        {"after", encode_cursor(42)},
                                        {"limit", 1000}});
  EXPECT_EQ(r.topic, "patterns");
  EXPECT_EQ(r.node_id, "testnet-3");
  EXPECT_EQ(r.chain_id, "testnet");
  EXPECT_EQ(r.since, 1767225600.0);
  EXPECT_EQ(r.until, 1767225900.5);
  EXPECT_EQ(r.after_id, 42);
  EXPECT_EQ(r.limit, 1000u);
}

TEST(HistoryRequest, NullIsTheSameAsAbsent) {
  const auto r = parse_history_request({{"topic", nullptr}, {"after", nullptr}, {"limit", nullptr}});
  EXPECT_FALSE(r.topic || r.after_id);
  EXPECT_EQ(r.limit, 100u);
}

TEST(HistoryRequest, LimitIsAWholeNumberFromOneToAThousand) {
  EXPECT_THAT(refusal({{"limit", 1000000000}}), HasSubstr("limit: must be a whole number from 1 to 1000, got 1000000000"));
  EXPECT_THAT(refusal({{"limit", 0}}), HasSubstr("limit: must be a whole number from 1 to 1000, got 0"));
  EXPECT_THAT(refusal({{"limit", 2.5}}), HasSubstr("limit: must be a whole number from 1 to 1000, got 2.5"));
  EXPECT_THAT(refusal({{"limit", "10"}}), HasSubstr("limit: must be a whole number from 1 to 1000, got \"10\""));
  EXPECT_EQ(parse_history_request({{"limit", 1}}).limit, 1u);
}

TEST(HistoryRequest, AnInvertedOrEmptyWindowIsRefused) {
  EXPECT_THAT(refusal({{"since", 200}, {"until", 100}}), HasSubstr("until: must be after since"));
  EXPECT_THAT(refusal({{"since", 200}, {"until", 200}}), HasSubstr("until: must be after since"));
  EXPECT_THAT(refusal({{"since", -1}}), HasSubstr("since: must be seconds since the epoch (0 or more), got -1"));
  EXPECT_THAT(refusal({{"until", "yesterday"}}),
              HasSubstr("until: must be a number of seconds since the epoch, got \"yesterday\""));
}

TEST(HistoryRequest, ABadCursorIsRefused) {
  EXPECT_THAT(refusal({{"after", "not-a-cursor"}}),
              HasSubstr("after: must be the \"next\" cursor of a previous answer, got \"not-a-cursor\""));
  EXPECT_THAT(refusal({{"after", 42}}), HasSubstr("after: must be the \"next\" cursor"));
  const std::string good = encode_cursor(42);
  EXPECT_THAT(refusal({{"after", good.substr(0, good.size() - 2)}}), HasSubstr("after:"));
}

TEST(HistoryRequest, FiltersAreNonEmptyStrings) {
  EXPECT_THAT(refusal({{"topic", 3}}), HasSubstr("topic: must be a string, got 3"));
  EXPECT_THAT(refusal({{"node_id", ""}}), HasSubstr("node_id: must not be empty"));
  EXPECT_THAT(refusal({{"chain_id", std::string(300, 'c')}}), HasSubstr("chain_id: must be at most 256 bytes"));
}

TEST(HistoryRequest, UnknownFieldsAndNonObjectsAreRefused) {
  EXPECT_THAT(refusal({{"topics", "patterns"}}), HasSubstr("topics: unknown field (known: topic, node_id"));
  EXPECT_THAT(refusal(json::array()), HasSubstr("the history request must be a JSON object"));
}

TEST(HistoryRequest, EveryProblemIsListed) {
  const std::string message = refusal({{"limit", 0}, {"after", "x"}, {"since", "y"}});
  EXPECT_THAT(message, HasSubstr("limit:"));
  EXPECT_THAT(message, HasSubstr("after:"));
  EXPECT_THAT(message, HasSubstr("since:"));
}

}  // namespace
}  // namespace nebula::sinks
