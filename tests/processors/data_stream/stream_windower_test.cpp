#include <gtest/gtest.h>

#include <cmath>

#include "stream_windower.hpp"

using nebula::data_stream::Config;
using nebula::data_stream::LatePolicy;
using nebula::data_stream::StreamSample;
using nebula::data_stream::StreamWindower;
using Outcome = StreamWindower::Outcome;
using nlohmann::json;

namespace {

constexpr size_t kPeers = 2;    // index of network.peer_count in kMetrics
constexpr size_t kLatency = 3;  // network.average_latency

StreamSample rec(double t, std::string_view node, std::optional<int64_t> seq, std::string_view chain = "testnet",
                 double peers = NAN) {
  StreamSample s;
  s.timestamp = t;
  s.node_id = node;
  s.chain_id = chain;
  s.seq = seq;
  s.metrics[kPeers] = peers;
  return s;
}

// Windows of `chain` in the pending insight; clears the pending windows.
json take_windows(StreamWindower& w, const char* chain = "testnet") {
  auto doc = w.pending_insight();
  w.clear_pending();
  if (!doc || !(*doc)["chains"].contains(chain)) return json::array();
  return (*doc)["chains"][chain]["windows"];
}

Config windows_of(double window_s, double lateness, LatePolicy policy = LatePolicy::Drop) {
  Config c;
  c.window_s = window_s;
  c.allowed_lateness_s = lateness;
  c.late_policy = policy;
  return c;
}

}  // namespace

TEST(StreamWindower, WindowBoundariesAndWatermark) {
  StreamWindower w(windows_of(60, 10));
  w.observe(rec(0, "a", 1));
  w.observe(rec(59.999, "a", 2));
  w.observe(rec(60, "a", 3));  // first instant of the next window
  w.observe(rec(69.9, "a", 4));
  EXPECT_FALSE(w.pending_insight()) << "watermark 59.9 has not reached the end (60)";
  w.observe(rec(70, "a", 5));  // watermark 60: [0, 60) is complete
  json closed = take_windows(w);
  ASSERT_EQ(closed.size(), 1u);
  EXPECT_EQ(closed[0]["start"], 0.0);
  EXPECT_EQ(closed[0]["end"], 60.0);
  EXPECT_EQ(closed[0]["records"], 2);
  EXPECT_EQ(w.open_windows(), 1u);
  w.observe(rec(250, "a", 6));  // jumps over [120, 180): only windows with data exist
  closed = take_windows(w);
  ASSERT_EQ(closed.size(), 1u);
  EXPECT_EQ(closed[0]["start"], 60.0);
  EXPECT_EQ(closed[0]["records"], 3);
}

TEST(StreamWindower, OutOfOrderWithinLatenessIsAcceptedLateIsDropped) {
  StreamWindower w(windows_of(60, 10));
  EXPECT_EQ(w.observe(rec(30, "a", 1, "testnet", 10)), Outcome::Accepted);
  EXPECT_EQ(w.observe(rec(50, "b", 1, "testnet", 20)), Outcome::Accepted);
  EXPECT_EQ(w.observe(rec(41, "c", 1, "testnet", 30)), Outcome::Accepted) << "out of order, above watermark 40";
  EXPECT_EQ(w.observe(rec(39, "d", 1, "testnet", 99)), Outcome::Late) << "older than the watermark";
  w.close_all();
  json win = take_windows(w);
  ASSERT_EQ(win.size(), 1u);
  EXPECT_EQ(win[0]["records"], 3);
  EXPECT_EQ(win[0]["late"], 1);
  EXPECT_EQ(win[0]["distinct_nodes"], 3);
  EXPECT_EQ(win[0]["fields"]["network.peer_count"], (json{{"count", 3}, {"mean", 20.0}, {"min", 10.0}, {"max", 30.0}}));
  EXPECT_FALSE(win[0]["fields"].contains("network.average_latency")) << "fields nobody reported are left out";
  EXPECT_FALSE(win[0].contains("late_tally"));
}

TEST(StreamWindower, TallyPolicySummarisesLateSamplesApart) {
  StreamWindower w(windows_of(60, 5, LatePolicy::Tally));
  w.observe(rec(10, "a", 1, "testnet", 10));
  w.observe(rec(70, "a", 2, "testnet", 10));  // watermark 65 closes [0, 60)
  EXPECT_EQ(take_windows(w).size(), 1u);
  EXPECT_EQ(w.observe(rec(20, "b", 1, "testnet", 40)), Outcome::Late) << "its window is closed";
  EXPECT_EQ(w.observe(rec(64, "c", 1, "testnet", 50)), Outcome::Late) << "its window is open, but it is < 65";
  w.close_all();
  json win = take_windows(w);
  ASSERT_EQ(win.size(), 1u);
  EXPECT_EQ(win[0]["start"], 60.0) << "late samples are counted on the oldest open window";
  EXPECT_EQ(win[0]["records"], 1);
  EXPECT_EQ(win[0]["late"], 2);
  EXPECT_EQ(win[0]["late_tally"]["records"], 2);
  EXPECT_DOUBLE_EQ(win[0]["late_tally"]["fields"]["network.peer_count"]["mean"].get<double>(), 45.0);
}

TEST(StreamWindower, DuplicatesAreCountedNotAggregated) {
  StreamWindower w(windows_of(60, 10));
  EXPECT_EQ(w.observe(rec(1, "a", 7, "testnet", 10)), Outcome::Accepted);
  EXPECT_EQ(w.observe(rec(1, "a", 7, "testnet", 10)), Outcome::Duplicate);
  EXPECT_EQ(w.observe(rec(2, "b", 7, "testnet", 30)), Outcome::Accepted) << "same seq, other node";
  EXPECT_EQ(w.observe(rec(1, "a", 7, "mainnet", 30)), Outcome::Accepted) << "same node id, other chain";
  EXPECT_EQ(w.observe(rec(3, "a", std::nullopt, "testnet", 20)), Outcome::Accepted) << "no seq: no dedup";
  EXPECT_EQ(w.observe(rec(3, "a", std::nullopt, "testnet", 20)), Outcome::Accepted);
  w.close_all();
  auto doc = w.pending_insight();
  ASSERT_TRUE(doc);
  const json& win = (*doc)["chains"]["testnet"]["windows"][0];
  EXPECT_EQ(win["records"], 4);
  EXPECT_EQ(win["duplicates"], 1);
  EXPECT_EQ(win["distinct_nodes"], 2);
  EXPECT_DOUBLE_EQ(win["fields"]["network.peer_count"]["mean"].get<double>(), 20.0);  // (10 + 30 + 20 + 20) / 4
  EXPECT_EQ((*doc)["totals"]["duplicates"], 1);
  EXPECT_EQ((*doc)["chains"]["mainnet"]["windows"][0]["records"], 1);
}

TEST(StreamWindower, ChainsHaveTheirOwnWatermarks) {
  StreamWindower w(windows_of(60, 0));
  w.observe(rec(10, "a", 1, "testnet"));
  w.observe(rec(1000, "m", 1, "mainnet"));  // far ahead on another chain
  EXPECT_EQ(w.observe(rec(20, "a", 2, "testnet")), Outcome::Accepted);
  w.observe(rec(60, "a", 3, "testnet"));
  auto doc = w.pending_insight();
  ASSERT_TRUE(doc);
  EXPECT_EQ((*doc)["chains"]["testnet"]["windows"][0]["records"], 2);
  EXPECT_FALSE((*doc)["chains"].contains("mainnet"));
  EXPECT_EQ((*doc)["generated_at"], 1000.0) << "newest record time, not wall clock";
}

TEST(StreamWindower, PendingWindowsStayUntilCleared) {
  StreamWindower w(windows_of(10, 0));
  w.observe(rec(1, "a", 1));
  w.observe(rec(11, "a", 2));
  ASSERT_EQ(w.pending_windows(), 1u);
  w.observe(rec(21, "a", 3));  // publishing failed in between: both are still there
  auto doc = w.pending_insight();
  ASSERT_TRUE(doc);
  EXPECT_EQ((*doc)["chains"]["testnet"]["windows"].size(), 2u);
  w.clear_pending();
  EXPECT_FALSE(w.pending_insight());
}

TEST(StreamWindower, EvictedChainsCloseTheirWindows) {
  Config cfg = windows_of(60, 10);
  cfg.max_chains = 1;
  StreamWindower w(cfg);
  w.observe(rec(5, "a", 1, "testnet"));
  w.observe(rec(5, "m", 1, "mainnet"));
  auto doc = w.pending_insight();
  ASSERT_TRUE(doc);
  EXPECT_EQ((*doc)["chains"]["testnet"]["windows"][0]["records"], 1);
  EXPECT_EQ((*doc)["state"]["evicted_chains"], 1);
  EXPECT_EQ((*doc)["state"]["open_windows"], 1);
}

TEST(StreamWindower, SkipsRowsWithoutNodeOrTime) {
  StreamWindower w(windows_of(60, 10));
  EXPECT_EQ(w.observe(rec(1, "", 1)), Outcome::Skipped);
  EXPECT_EQ(w.observe(rec(NAN, "a", 1)), Outcome::Skipped);
  StreamSample s = rec(2, "a", 1);
  s.metrics[kLatency] = 12.5;
  w.observe(s);
  w.close_all();
  auto doc = w.pending_insight();
  ASSERT_TRUE(doc);
  EXPECT_EQ((*doc)["totals"]["skipped"], 2);
  EXPECT_EQ((*doc)["chains"]["testnet"]["windows"][0]["fields"]["network.average_latency"]["max"], 12.5);
}
