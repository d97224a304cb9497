// query(): for the same deliveries, the same answers as the sqlite sink (the
// contract both history sinks share) by topic, node, chain and time window,
// page by page; cursor paging without gaps or repeats while new insights
// arrive; bad requests INVALID with the field named.
#include <gmock/gmock.h>

#include <optional>

#include "insight_subjects.hpp"
#include "postgres_sink_fixture.hpp"

namespace nebula::sinks::testing {
namespace {

using ::testing::HasSubstr;
using nlohmann::json;

constexpr double kT0 = 1767225600;

std::vector<double> timestamps(const std::vector<json>& rows) {
  std::vector<double> out;
  for (const auto& r : rows) out.push_back(r.at("timestamp").get<double>());
  return out;
}

class PostgresQuery : public PostgresSinkTest {
 protected:
  void SetUp() override {
    PostgresSinkTest::SetUp();
    if (HasFatalFailure()) return;
    sink_.emplace(create_sink());
    const auto batch =
        timed(std::vector<GoldenInsight>(golden_insights().begin(), golden_insights().begin() + 200), kT0);
    for (size_t start = 0; start < batch.size(); start += 50) {  // several batches, as the host delivers
      const std::vector<Delivered> part(batch.begin() + static_cast<std::ptrdiff_t>(start),
                                        batch.begin() + static_cast<std::ptrdiff_t>(start + 50));
      for (auto* sink : {&*sink_, &sqlite_}) {
        const Outcome out = deliver(*sink, part);
        ASSERT_EQ(out.status, NEBULA_OK) << out.error;
      }
    }
  }

  // Every page of both answers, insight by insight; ids are each store's own.
  void expect_answers_as_sqlite(const json& request) {
    const auto ours = all_pages(*sink_, request);
    const auto theirs = all_pages(sqlite_, request);
    ASSERT_EQ(ours.size(), theirs.size()) << request.dump();
    for (size_t i = 0; i < ours.size(); ++i)
      for (const char* field : {"topic", "source", "timestamp", "nodes", "chains", "insight"})
        EXPECT_EQ(ours[i][field], theirs[i][field]) << request.dump() << ", insight " << i << ", " << field;
  }

  // A node many delivered insights are about: the first one the network topic names.
  static std::string some_node() {
    return insight_subjects(golden_about_nodes("network", 1).at(0).doc.dump())->nodes.at(0);
  }

  std::optional<nebula::testing::Instance> sink_;
  TempDir sqlite_dir_;
  nebula::testing::MockHost sqlite_host_{sqlite_dir_.path()};
  nebula::testing::Instance sqlite_ = sqlite_host_.create(sqlite_sink());
};

TEST_F(PostgresQuery, ByTopic) {
  EXPECT_EQ(all_pages(*sink_, {{"topic", "patterns"}}).empty(), false);
  expect_answers_as_sqlite({{"topic", "patterns"}, {"limit", 4}});
  expect_answers_as_sqlite({{"topic", "memory"}});
  EXPECT_TRUE(all_pages(*sink_, {{"topic", "no-such-topic"}}).empty());
}

TEST_F(PostgresQuery, ByNodeAndByChain) {
  const std::string node = some_node();
  EXPECT_GT(all_pages(*sink_, {{"node_id", node}}).size(), 1u) << node;
  expect_answers_as_sqlite({{"node_id", node}, {"limit", 3}});
  expect_answers_as_sqlite({{"chain_id", "mainnet"}, {"limit", 25}});
  expect_answers_as_sqlite({{"topic", "memory"}, {"chain_id", "mainnet"}, {"limit", 2}});
  expect_answers_as_sqlite({{"node_id", node}, {"chain_id", "basic"}});
}

TEST_F(PostgresQuery, ByTimeWindowSinceInclusiveUntilExclusive) {
  EXPECT_EQ(all_pages(*sink_, {{"since", kT0 + 10}, {"until", kT0 + 20}, {"limit", 3}}).size(), 10u);
  expect_answers_as_sqlite({{"since", kT0 + 10}, {"until", kT0 + 20}, {"limit", 3}});
  EXPECT_EQ(all_pages(*sink_, {{"since", kT0 + 190}}).size(), 10u);
  EXPECT_EQ(all_pages(*sink_, {{"until", kT0 + 5}}).size(), 5u);
}

TEST_F(PostgresQuery, PagesHaveNoGapsAndNoRepeatsWhileNewInsightsArrive) {
  const auto before = timestamps(all_pages(sqlite_, {{"limit", 1000}}));
  json request = {{"limit", 7}};
  std::vector<json> rows;
  for (int page = 0;; ++page) {
    const QueryOutcome q = query(*sink_, request);
    ASSERT_EQ(q.status, NEBULA_OK) << q.error;
    ASSERT_LE(q.answer["insights"].size(), 7u);
    for (const auto& r : q.answer["insights"]) rows.push_back(r);
    if (q.answer["next"].is_null()) break;
    request["after"] = q.answer["next"];
    if (page == 2) {  // newer insights arrive mid-walk: they are not in it
      ASSERT_EQ(deliver(*sink_, timed(golden_of_topic("decisions", 5), kT0 + 1000)).status, NEBULA_OK);
    }
  }
  EXPECT_EQ(timestamps(rows), before);
  EXPECT_EQ(query(*sink_, json::object()).answer["insights"].size(), 100u);  // the default limit
  EXPECT_EQ(all_pages(*sink_, {{"limit", 1000}}).size(), 205u);
}

TEST_F(PostgresQuery, BadRequestsAreInvalidAndNameTheField) {
  const auto refused = [&](const json& request) {
    const QueryOutcome q = query(*sink_, request);
    EXPECT_EQ(q.status, NEBULA_INVALID) << request.dump();
    return q.error;
  };
  EXPECT_THAT(refused({{"limit", 1000000000}}), HasSubstr("limit: must be a whole number from 1 to 1000"));
  EXPECT_THAT(refused({{"after", "bm90LWEtY3Vyc29y"}}), HasSubstr("after: must be the \"next\" cursor"));
  EXPECT_THAT(refused({{"since", kT0 + 100}, {"until", kT0}}), HasSubstr("until: must be after since"));
  EXPECT_THAT(refused({{"host", "pool-a"}}), HasSubstr("host: unknown field"));
}

}  // namespace
}  // namespace nebula::sinks::testing
