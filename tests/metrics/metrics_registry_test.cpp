#include <gtest/gtest.h>

#include <stdexcept>
#include <thread>
#include <vector>

#include "metrics/metrics.hpp"

using nebula::host::Labels;
using nebula::host::Metrics;

TEST(Metrics, RendersCountersAndGaugesSortedWithEscapedLabels) {
  Metrics m;
  m.describe("pool_records_total", Metrics::Type::Counter, "Records accepted by the pool.");
  m.describe("pool_queue_depth", Metrics::Type::Gauge, "Records waiting.\nPer queue.");
  m.add("pool_records_total", {{"component", "http-in"}}, 3);
  m.add("pool_records_total", {{"component", "http-in"}});
  m.add("pool_records_total", {{"component", "a\"b\\c\nd"}}, 2);
  m.set("pool_queue_depth", {{"queue", "ingest"}}, 12);
  m.set("pool_queue_depth", {{"queue", "training"}}, 0.25);
  m.set("pool_queue_depth", {{"queue", "ingest"}}, 7);  // overwrites

  EXPECT_EQ(m.render(),
            "# HELP pool_queue_depth Records waiting.\\nPer queue.\n"
            "# TYPE pool_queue_depth gauge\n"
            "pool_queue_depth{queue=\"ingest\"} 7\n"
            "pool_queue_depth{queue=\"training\"} 0.25\n"
            "# HELP pool_records_total Records accepted by the pool.\n"
            "# TYPE pool_records_total counter\n"
            "pool_records_total{component=\"a\\\"b\\\\c\\nd\"} 2\n"
            "pool_records_total{component=\"http-in\"} 4\n");
}

TEST(Metrics, UndeclaredFamiliesTakeTheirTypeFromFirstUseAndHaveNoHelp) {
  Metrics m;
  m.add("errors_total", {});
  m.set("uptime_seconds", {}, 1.5);
  EXPECT_EQ(m.render(),
            "# TYPE errors_total counter\n"
            "errors_total 1\n"
            "# TYPE uptime_seconds gauge\n"
            "uptime_seconds 1.5\n");
}

TEST(Metrics, FamiliesNamedAtRunTimeTakeTheHelpOfTheirFirstUse) {
  Metrics m;
  m.add("plugin_records_total", {{"component", "a"}}, 2, "Records a plugin reports");
  m.add("plugin_records_total", {{"component", "b"}}, 1, "another text, ignored");
  m.set("plugin_tracked", {}, 3, "Tracked things");
  m.describe("plugin_records_total", Metrics::Type::Counter, "declared later");
  EXPECT_EQ(m.render(),
            "# HELP plugin_records_total Records a plugin reports\n"
            "# TYPE plugin_records_total counter\n"
            "plugin_records_total{component=\"a\"} 2\n"
            "plugin_records_total{component=\"b\"} 1\n"
            "# HELP plugin_tracked Tracked things\n"
            "# TYPE plugin_tracked gauge\n"
            "plugin_tracked 3\n");
}

TEST(Metrics, LabelOrderDoesNotMatterAndRendersByName) {
  Metrics m;
  m.add("req_total", {{"method", "GET"}, {"code", "200"}});
  m.add("req_total", {{"code", "200"}, {"method", "GET"}}, 2);
  EXPECT_EQ(m.value("req_total", {{"method", "GET"}, {"code", "200"}}), 3);
  EXPECT_EQ(m.render(),
            "# TYPE req_total counter\n"
            "req_total{code=\"200\",method=\"GET\"} 3\n");
}

TEST(Metrics, NamesAreSanitizedConsistently) {
  Metrics m;
  m.add("component.http-in.records", {{"kind.of", "x"}}, 5);
  EXPECT_EQ(m.value("component_http_in_records", {{"kind_of", "x"}}), 5);
  EXPECT_EQ(m.value("component.http-in.records", {{"kind.of", "x"}}), 5);
  EXPECT_EQ(m.render(),
            "# TYPE component_http_in_records counter\n"
            "component_http_in_records{kind_of=\"x\"} 5\n");
}

TEST(Metrics, ValueIsZeroWhenNeverTouched) {
  Metrics m;
  EXPECT_EQ(m.value("nothing"), 0);
  m.add("something", {{"a", "1"}});
  EXPECT_EQ(m.value("something", {{"a", "2"}}), 0);
}

TEST(Metrics, DescribeIsIdempotentAndAdoptsImplicitFamilies) {
  Metrics m;
  m.set("temperature", {}, 20);  // implicitly a gauge, no help
  m.describe("temperature", Metrics::Type::Gauge, "Degrees.");
  m.describe("temperature", Metrics::Type::Gauge, "Ignored second help.");
  EXPECT_EQ(m.render(),
            "# HELP temperature Degrees.\n"
            "# TYPE temperature gauge\n"
            "temperature 20\n");
}

TEST(Metrics, ConflictingDeclarationThrows) {
  Metrics m;
  m.describe("x_total", Metrics::Type::Counter, "X.");
  EXPECT_THROW(m.describe("x_total", Metrics::Type::Gauge, "X."), std::invalid_argument);
}

TEST(Metrics, CountersRejectNegativeDeltasGaugesAcceptThem) {
  Metrics m;
  m.describe("c_total", Metrics::Type::Counter, "C.");
  EXPECT_THROW(m.add("c_total", {}, -1), std::invalid_argument);
  m.describe("g", Metrics::Type::Gauge, "G.");
  m.add("g", {}, 5);
  m.add("g", {}, -2);
  EXPECT_EQ(m.value("g"), 3);
}

TEST(Metrics, ConcurrentAddsSumExactly) {
  Metrics m;
  constexpr int kThreads = 8;
  constexpr int kAddsPerThread = 20000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&m, t] {
      const Labels own{{"thread", std::to_string(t)}};
      for (int i = 0; i < kAddsPerThread; ++i) {
        m.add("shared_total", {{"kind", "all"}});
        m.add("per_thread_total", own, 2);
        if (i % 1000 == 0) (void)m.render();  // readers interleave with writers
      }
    });
  }
  for (auto& thread : threads) thread.join();

  EXPECT_EQ(m.value("shared_total", {{"kind", "all"}}), kThreads * kAddsPerThread);
  for (int t = 0; t < kThreads; ++t)
    EXPECT_EQ(m.value("per_thread_total", {{"thread", std::to_string(t)}}), 2.0 * kAddsPerThread);
  EXPECT_NE(m.render().find("shared_total{kind=\"all\"} 160000\n"), std::string::npos);
}

TEST(Metrics, HistogramsRenderCumulativeBucketsSumAndCount) {
  Metrics m;
  m.describe_histogram("nebula_delay_seconds", "Delay", {0.1, 1});
  for (double v : {0.05, 0.1, 0.5, 2.0}) m.observe("nebula_delay_seconds", {{"component", "a"}}, v);
  const std::string text = m.render();
  EXPECT_NE(text.find("# TYPE nebula_delay_seconds histogram\n"), std::string::npos) << text;
  // le is inclusive: 0.1 lands in the 0.1 bucket.
  EXPECT_NE(text.find("nebula_delay_seconds_bucket{component=\"a\",le=\"0.1\"} 2\n"), std::string::npos) << text;
  EXPECT_NE(text.find("nebula_delay_seconds_bucket{component=\"a\",le=\"1\"} 3\n"), std::string::npos) << text;
  EXPECT_NE(text.find("nebula_delay_seconds_bucket{component=\"a\",le=\"+Inf\"} 4\n"), std::string::npos) << text;
  EXPECT_NE(text.find("nebula_delay_seconds_sum{component=\"a\"} 2.65\n"), std::string::npos) << text;
  EXPECT_NE(text.find("nebula_delay_seconds_count{component=\"a\"} 4\n"), std::string::npos) << text;
  EXPECT_EQ(m.value("nebula_delay_seconds", {{"component", "a"}}), 4);
  EXPECT_THROW(m.observe("nebula_undeclared", {}, 1), std::invalid_argument);
  EXPECT_THROW(m.describe_histogram("nebula_bad", "", {1, 1}), std::invalid_argument);
}

TEST(Metrics, AFamilyPastItsSeriesLimitRefusesNewLabelSetsAndCountsThem) {
  Metrics m;
  m.describe("nebula_incidents", Metrics::Type::Gauge, "Incidents");
  m.limit_series("nebula_incidents", 2);
  m.set("nebula_incidents", {{"chain", "a"}}, 1);
  m.set("nebula_incidents", {{"chain", "b"}}, 1);
  m.set("nebula_incidents", {{"chain", "c"}}, 1);  // refused
  m.set("nebula_incidents", {{"chain", "a"}}, 5);  // an existing series still moves
  EXPECT_EQ(m.value("nebula_incidents", {{"chain", "a"}}), 5);
  EXPECT_EQ(m.value("nebula_incidents", {{"chain", "c"}}), 0);
  const std::string text = m.render();
  EXPECT_NE(text.find("nebula_metric_series_refused_total{family=\"nebula_incidents\"} 1\n"), std::string::npos)
      << text;
}
