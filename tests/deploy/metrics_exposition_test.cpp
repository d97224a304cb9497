// What a real pool's GET /metrics says about itself (#18): every family the
// host and the real plugins expose has a # HELP and a # TYPE, counters end in
// _total and nothing else does, the token guards it, and every family the
// host's code names exists from the start (so the check covers the ones that
// only count rare events, such as dead letters or lost insights).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "live_pool.hpp"

namespace {

using nebula_deploy_test::Exposition;
using nebula_deploy_test::LivePool;

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

// The family names the host's sources pass to the metrics registry as string
// literals ("nebula_..."); plugins' families are named at run time.
std::set<std::string> host_families_in_source() {
  static const std::regex literal("\"(nebula_[a-z0-9_]*[a-z0-9])\"");
  std::set<std::string> out;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(NEBULA_SOURCE_DIR "/host/src")) {
    const auto ext = entry.path().extension();
    if (ext != ".cpp" && ext != ".hpp") continue;
    std::ifstream in(entry.path());
    std::stringstream text;
    text << in.rdbuf();
    const std::string s = text.str();
    for (auto it = std::sregex_iterator(s.begin(), s.end(), literal); it != std::sregex_iterator(); ++it)
      out.insert((*it)[1]);
  }
  return out;
}

}  // namespace

TEST(PoolMetrics, EveryFamilyTheHostAndPluginsExposeHasHelpTypeAndConventionalName) {
  LivePool pool;
  ASSERT_TRUE(pool.start()) << pool.log();
  EXPECT_EQ(pool.get_metrics("").status, 401) << "/metrics answered without the admin token";
  EXPECT_EQ(pool.get_metrics("wrong-token").status, 401);

  const Exposition metrics = pool.wait_until_busy();
  ASSERT_GT(metrics.value("nebula_agent_batches_total", "\"resonant\""), 0)
      << "the pipeline never got busy (agents trained, sinks delivered, the webhook failed)\npool log:\n"
      << pool.log() << "\nfeed log:\n" << pool.feed_log();
  EXPECT_TRUE(metrics.problems.empty()) << ::testing::PrintToString(metrics.problems);

  size_t counters = 0, gauges = 0, plugin_families = 0;
  for (const auto& [name, family] : metrics.families) {
    EXPECT_TRUE(family.has_help && !family.help.empty()) << name << " has no # HELP text";
    EXPECT_TRUE(family.type == "counter" || family.type == "gauge" || family.type == "histogram")
        << name << " has # TYPE '" << family.type << "'";
    if (family.type == "counter") {
      ++counters;
      EXPECT_TRUE(ends_with(name, "_total")) << "counter " << name << " does not end in _total";
    } else {
      EXPECT_FALSE(ends_with(name, "_total")) << family.type << " " << name << " ends in _total (counters only)";
      gauges += family.type == "gauge";
    }
    plugin_families += name.rfind("nebula_component_", 0) == 0;
  }
  EXPECT_EQ(metrics.families.at("nebula_wal_fsyncs_total").type, "counter");
  // The real plugins' own families are there too, not only the host's.
  EXPECT_GE(plugin_families, 10u);
  for (const char* labelled : {"nebula_incidents_active", "nebula_nodes_by_health", "nebula_recommendations_active"})
    EXPECT_TRUE(metrics.has(labelled)) << labelled;

  // The rejected requests above were counted, under a described family.
  EXPECT_GE(metrics.value("nebula_admin_unauthorized_total"), 2);

  // Every family the host's code names is exposed (with the checks above)
  // before its first event, except the refusal count of the series limit,
  // which appears with the first refusal.
  for (const auto& name : host_families_in_source()) {
    if (name == "nebula_metric_series_refused_total") continue;
    EXPECT_TRUE(metrics.has(name)) << name << " is named in host/src but not on /metrics of a running pool: "
                                   << "declare it (Metrics::describe) where the host starts";
  }
  std::cout << metrics.families.size() << " families: " << counters << " counters, " << gauges << " gauges, "
            << plugin_families << " from plugins' counter_add/gauge_set\n";
}
