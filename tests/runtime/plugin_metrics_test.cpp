// Labelled metrics that plugins declare (ABI 1.3): exported names, the
// component label, shapes fixed by the first declaration, bounded series.
#include <gtest/gtest.h>

#include "runtime/plugin_metrics.hpp"

using nebula::host::Metrics;
using nebula::host::PluginMetrics;

TEST(PluginMetrics, FamiliesAreExportedWithTheComponentLabelAndCountersEndInTotal) {
  Metrics metrics;
  PluginMetrics plugins(metrics);
  ASSERT_EQ(plugins.declare("patterns", "incidents_active", NEBULA_METRIC_GAUGE, "Open incidents",
                            {"chain_id", "kind"}, {}, 0),
            "");
  ASSERT_EQ(plugins.declare("patterns", "incidents_started", NEBULA_METRIC_COUNTER, "Incidents opened", {"kind"}, {}, 0),
            "");
  ASSERT_EQ(plugins.declare("analyst", "score_seconds", NEBULA_METRIC_HISTOGRAM, "Scoring time", {}, {0.1, 1}, 0), "");
  EXPECT_EQ(plugins.update("patterns", "incidents_active", {"testnet", "stall"}, 3), NEBULA_OK);
  EXPECT_EQ(plugins.update("patterns", "incidents_started", {"stall"}, 2), NEBULA_OK);
  EXPECT_EQ(plugins.update("analyst", "score_seconds", {}, 0.05), NEBULA_OK);
  EXPECT_EQ(metrics.value("nebula_incidents_active", {{"component", "patterns"}, {"chain_id", "testnet"}, {"kind", "stall"}}),
            3);
  EXPECT_EQ(metrics.value("nebula_incidents_started_total", {{"component", "patterns"}, {"kind", "stall"}}), 2);
  const std::string text = metrics.render();
  EXPECT_NE(text.find("# HELP nebula_incidents_active Open incidents\n# TYPE nebula_incidents_active gauge\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("nebula_score_seconds_bucket{component=\"analyst\",le=\"0.1\"} 1\n"), std::string::npos) << text;
}

TEST(PluginMetrics, AFamilyDeclaredWithoutHelpGetsHelpTextAnyway) {
  Metrics metrics;
  PluginMetrics plugins(metrics);
  ASSERT_EQ(plugins.declare("p", "queue_wait", NEBULA_METRIC_GAUGE, "", {}, {}, 0), "");
  EXPECT_EQ(plugins.update("p", "queue_wait", {}, 2), NEBULA_OK);
  const std::string text = metrics.render();
  EXPECT_NE(text.find("# HELP nebula_queue_wait Metric 'queue_wait' a plugin declared without help text, by component\n"
                      "# TYPE nebula_queue_wait gauge\n"),
            std::string::npos)
      << text;
}

TEST(PluginMetrics, UpdatesMustMatchTheDeclaration) {
  Metrics metrics;
  PluginMetrics plugins(metrics);
  ASSERT_EQ(plugins.declare("p", "errors", NEBULA_METRIC_COUNTER, "Errors", {"kind"}, {}, 0), "");
  EXPECT_EQ(plugins.update("p", "undeclared", {}, 1), NEBULA_INVALID);
  EXPECT_EQ(plugins.update("other", "errors", {"x"}, 1), NEBULA_INVALID) << "declared by p, not by other";
  EXPECT_EQ(plugins.update("p", "errors", {}, 1), NEBULA_INVALID) << "one label value is owed";
  EXPECT_EQ(plugins.update("p", "errors", {"x"}, -1), NEBULA_INVALID) << "a counter never goes down";
  EXPECT_EQ(metrics.value("nebula_errors_total", {{"component", "p"}, {"kind", "x"}}), 0);
}

TEST(PluginMetrics, ASecondDeclarationMustHaveTheSameShapeAndBadNamesAreRefused) {
  Metrics metrics;
  PluginMetrics plugins(metrics);
  ASSERT_EQ(plugins.declare("a", "nodes_by_band", NEBULA_METRIC_GAUGE, "Nodes", {"band"}, {}, 0), "");
  EXPECT_EQ(plugins.declare("b", "nodes_by_band", NEBULA_METRIC_GAUGE, "Nodes", {"band"}, {}, 0), "")
      << "two instances of one plugin share the family";
  EXPECT_NE(plugins.declare("b", "nodes_by_band", NEBULA_METRIC_GAUGE, "Nodes", {"chain"}, {}, 0), "");
  EXPECT_NE(plugins.declare("b", "nodes_by_band", NEBULA_METRIC_COUNTER, "Nodes", {"band"}, {}, 0), "");
  EXPECT_NE(plugins.declare("a", "Bad-Name", NEBULA_METRIC_GAUGE, "", {}, {}, 0), "");
  EXPECT_NE(plugins.declare("a", "x", NEBULA_METRIC_GAUGE, "", {"component"}, {}, 0), "") << "the host adds component";
  EXPECT_NE(plugins.declare("a", "h", NEBULA_METRIC_HISTOGRAM, "", {}, {2, 1}, 0), "");
  EXPECT_NE(plugins.declare("a", "many", NEBULA_METRIC_GAUGE, "", {"a", "b", "c", "d", "e", "f", "g", "h", "i"}, {}, 0),
            "");
  metrics.describe("nebula_host_owned", Metrics::Type::Counter, "the host's own");
  EXPECT_NE(plugins.declare("a", "host_owned", NEBULA_METRIC_GAUGE, "", {}, {}, 0), "");
}

TEST(PluginMetrics, CardinalityIsBoundedAndWhatIsRefusedIsCounted) {
  Metrics metrics;
  PluginMetrics plugins(metrics);
  ASSERT_EQ(plugins.declare("p", "by_chain", NEBULA_METRIC_GAUGE, "Per chain", {"chain_id"}, {}, 2), "");
  for (const char* chain : {"a", "b", "c", "d"}) EXPECT_EQ(plugins.update("p", "by_chain", {chain}, 1), NEBULA_OK);
  EXPECT_EQ(metrics.value("nebula_by_chain", {{"component", "p"}, {"chain_id", "c"}}), 0);
  EXPECT_NE(metrics.render().find("nebula_metric_series_refused_total{family=\"nebula_by_chain\"} 2\n"),
            std::string::npos);
}
