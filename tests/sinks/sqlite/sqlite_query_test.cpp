// query(): filters by topic, node, chain and time window, newest first, and
// cursor paging without gaps or repeats; bad requests get INVALID with the
// field named; queries run while deliveries write.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <functional>
#include <map>
#include <thread>

#include "insight_subjects.hpp"
#include "sqlite_sink_fixture.hpp"

namespace nebula::sinks::testing {
namespace {

using ::testing::HasSubstr;
using nebula::testing::MockHost;
using nlohmann::json;

constexpr double kT0 = 1767225600;

class SqliteSinkQuery : public ::testing::Test {
 protected:
  void SetUp() override {
    batch_ = timed(std::vector<GoldenInsight>(golden_insights().begin(), golden_insights().begin() + 300), kT0);
    // Delivered as the host would: several batches.
    for (size_t start = 0; start < batch_.size(); start += 50) {
      const std::vector<Delivered> part(batch_.begin() + static_cast<std::ptrdiff_t>(start),
                                        batch_.begin() + static_cast<std::ptrdiff_t>(start + 50));
      const Outcome out = deliver(sink_, part);
      ASSERT_EQ(out.status, NEBULA_OK) << out.error;
    }
  }

  // Timestamps (unique per delivered insight) of what matches, newest first.
  std::vector<double> expected(const std::function<bool(const Delivered&)>& match) const {
    std::vector<double> out;
    for (auto it = batch_.rbegin(); it != batch_.rend(); ++it)
      if (match(*it)) out.push_back(it->timestamp);
    return out;
  }

  static std::vector<double> timestamps(const std::vector<json>& rows) {
    std::vector<double> out;
    for (const auto& r : rows) out.push_back(r.at("timestamp").get<double>());
    return out;
  }

  static bool about(const Delivered& d, const std::string& key, const std::string& id) {
    const auto s = *insight_subjects(d.json);
    const auto& list = key == "node_id" ? s.nodes : s.chains;
    return std::find(list.begin(), list.end(), id) != list.end();
  }

  // The node named by the most delivered insights (so the filter has work).
  std::string busiest_node() const {
    std::map<std::string, int> mentions;
    for (const auto& d : batch_) {
      const auto subjects = insight_subjects(d.json);
      for (const auto& n : subjects->nodes) ++mentions[n];
    }
    auto best = mentions.begin();
    for (auto it = mentions.begin(); it != mentions.end(); ++it)
      if (it->second > best->second) best = it;
    return best->first;
  }

  TempDir dir_;
  MockHost host_{dir_.path()};
  nebula::testing::Instance sink_ = host_.create(sqlite_sink());
  std::vector<Delivered> batch_;
};

TEST_F(SqliteSinkQuery, ByTopicNewestFirst) {
  const auto rows = all_pages(sink_, {{"topic", "patterns"}});
  EXPECT_EQ(timestamps(rows), expected([](const Delivered& d) { return d.topic == "patterns"; }));
  EXPECT_FALSE(rows.empty());
  EXPECT_TRUE(all_pages(sink_, {{"topic", "no-such-topic"}}).empty());
}

TEST_F(SqliteSinkQuery, ByNode) {
  const std::string node = busiest_node();
  const auto want = expected([&](const Delivered& d) { return about(d, "node_id", node); });
  ASSERT_GT(want.size(), 1u) << node;
  const auto rows = all_pages(sink_, {{"node_id", node}, {"limit", 3}});
  EXPECT_EQ(timestamps(rows), want);
  for (const auto& r : rows) EXPECT_THAT(r["nodes"].get<std::vector<std::string>>(), ::testing::Contains(node));
}

TEST_F(SqliteSinkQuery, ByChainAndTopicTogether) {
  const auto want = expected([](const Delivered& d) { return d.topic == "memory" && about(d, "chain_id", "mainnet"); });
  ASSERT_FALSE(want.empty());
  EXPECT_EQ(timestamps(all_pages(sink_, {{"topic", "memory"}, {"chain_id", "mainnet"}})), want);
}

TEST_F(SqliteSinkQuery, ByNodeAndChainTogether) {
  const std::string node = busiest_node();
  const auto want = expected([&](const Delivered& d) { return about(d, "node_id", node) && about(d, "chain_id", "basic"); });
  EXPECT_EQ(timestamps(all_pages(sink_, {{"node_id", node}, {"chain_id", "basic"}})), want);
}

TEST_F(SqliteSinkQuery, ByTimeWindowSinceInclusiveUntilExclusive) {
  const auto rows = all_pages(sink_, {{"since", kT0 + 10}, {"until", kT0 + 20}});
  EXPECT_EQ(timestamps(rows), expected([](const Delivered& d) { return d.timestamp >= kT0 + 10 && d.timestamp < kT0 + 20; }));
  EXPECT_EQ(rows.size(), 10u);
  EXPECT_EQ(all_pages(sink_, {{"since", kT0 + 290}}).size(), 10u);
  EXPECT_EQ(all_pages(sink_, {{"until", kT0 + 5}}).size(), 5u);
}

TEST_F(SqliteSinkQuery, PagesHaveNoGapsAndNoRepeatsWhileNewInsightsArrive) {
  json request = {{"limit", 7}};
  std::vector<json> rows;
  for (int page = 0;; ++page) {
    const QueryOutcome q = query(sink_, request);
    ASSERT_EQ(q.status, NEBULA_OK) << q.error;
    ASSERT_LE(q.answer["insights"].size(), 7u);
    for (const auto& r : q.answer["insights"]) rows.push_back(r);
    if (q.answer["next"].is_null()) break;
    request["after"] = q.answer["next"];
    if (page == 2) {  // newer insights arrive mid-paging: they are not in this walk
      ASSERT_EQ(deliver(sink_, timed(golden_of_topic("decisions", 5), kT0 + 1000)).status, NEBULA_OK);
    }
  }
  EXPECT_EQ(timestamps(rows), expected([](const Delivered&) { return true; }));
  EXPECT_EQ(all_pages(sink_, {{"limit", 1000}}).size(), 305u);
}

TEST_F(SqliteSinkQuery, OnePageHoldsAtMostTheLimit) {
  const QueryOutcome q = query(sink_, json::object());
  ASSERT_EQ(q.status, NEBULA_OK) << q.error;
  EXPECT_EQ(q.answer["insights"].size(), 100u);  // the default limit
  EXPECT_TRUE(q.answer["next"].is_string());
  const QueryOutcome whole = query(sink_, {{"limit", 1000}});
  EXPECT_EQ(whole.answer["insights"].size(), 300u);
  EXPECT_TRUE(whole.answer["next"].is_null());
}

TEST_F(SqliteSinkQuery, BadRequestsAreInvalidAndNameTheField) {
  const auto refused = [&](const json& request) {
    const QueryOutcome q = query(sink_, request);
    EXPECT_EQ(q.status, NEBULA_INVALID) << request.dump();
    return q.error;
  };
  EXPECT_THAT(refused({{"limit", 1000000000}}), HasSubstr("limit: must be a whole number from 1 to 1000"));
  EXPECT_THAT(refused({{"after", "bm90LWEtY3Vyc29y"}}), HasSubstr("after: must be the \"next\" cursor"));
  EXPECT_THAT(refused({{"since", kT0 + 100}, {"until", kT0}}), HasSubstr("until: must be after since"));
  EXPECT_THAT(refused({{"node", "x"}}), HasSubstr("node: unknown field"));

  const auto* table = sink_.capability<nebula_sink_v1>(NEBULA_CAP_SINK);
  char err[NEBULA_ERROR_CAP] = {};
  std::string out;
  nebula_sink writer{&out, [](void*, const void*, size_t) { return NEBULA_OK; }};
  const std::string text = "{\"topic\": ";
  EXPECT_EQ(table->query(sink_.raw(), text.data(), text.size(), &writer, err, sizeof err), NEBULA_INVALID);
}

TEST_F(SqliteSinkQuery, QueriesRunWhileDeliveriesWrite) {
  std::atomic<bool> writing{true};
  std::atomic<int> failures{0};
  std::atomic<int> queries{0};
  std::thread reader([&] {
    size_t seen = 0;
    // At least a few queries, and on until the writer is done.
    while (writing.load() || queries.load() < 5) {
      const QueryOutcome q = query(sink_, {{"topic", "patterns"}, {"limit", 1000}});
      if (q.status != NEBULA_OK || q.answer["insights"].size() < seen) ++failures;
      else seen = q.answer["insights"].size();
      ++queries;
    }
  });
  const auto more = golden_of_topic("patterns", 130);
  for (size_t i = 0; i < more.size(); ++i) {
    const Outcome out = deliver(sink_, timed({more[i]}, kT0 + 5000 + static_cast<double>(i)));
    EXPECT_EQ(out.status, NEBULA_OK) << out.error;
  }
  writing = false;
  reader.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_GE(queries.load(), 5);
}

}  // namespace
}  // namespace nebula::sinks::testing
