// What a reload restarts: components matched by id; plugin, config, inputs
// or topics changing restarts one; order of inputs and topics does not; and
// the settings that cannot change live are named.
#include <gtest/gtest.h>

#include "runtime/pipeline_diff.hpp"

using namespace nebula::host;

namespace {

ComponentSpec spec(const std::string& id, const std::string& plugin, nlohmann::json config = nlohmann::json::object(),
                   std::vector<std::string> inputs = {}, std::vector<std::string> topics = {}) {
  ComponentSpec s;
  s.id = id;
  s.plugin = plugin;
  s.config = std::move(config);
  s.inputs = std::move(inputs);
  s.topics = std::move(topics);
  return s;
}

PipelineConfig pipeline(std::vector<ComponentSpec> components) {
  PipelineConfig p;
  p.file = "pipeline.yaml";
  p.components = std::move(components);
  return p;
}

}  // namespace

TEST(PipelineDiff, SortsEveryComponentIntoOneBucket) {
  const auto running = pipeline({spec("in", "nebula.transport.http", {{"port", 7000}}),
                                 spec("keep", "x.proc", {{"a", 1}}, {"in", "tcp"}, {"t1", "t2"}),
                                 spec("tune", "x.proc", {{"a", 1}}, {"in"}), spec("gone", "x.proc", {}, {"in"}),
                                 spec("rewire", "x.proc", {}, {"in"}), spec("swap", "x.proc", {}, {"in"}),
                                 spec("tcp", "nebula.transport.tcp")});
  const auto next = pipeline({spec("in", "nebula.transport.http", {{"port", 7000}}),
                              spec("keep", "x.proc", {{"a", 1}}, {"tcp", "in"}, {"t2", "t1"}),
                              spec("tune", "x.proc", {{"a", 2}}, {"in"}), spec("rewire", "x.proc", {}, {"tcp"}),
                              spec("swap", "y.proc", {}, {"in"}, {"only"}), spec("tcp", "nebula.transport.tcp"),
                              spec("new", "x.proc", {}, {"in"})});
  const PipelineDiff d = diff_pipelines(running, next);
  EXPECT_EQ(d.added, (std::vector<std::string>{"new"}));
  EXPECT_EQ(d.removed, (std::vector<std::string>{"gone"}));
  EXPECT_EQ(d.unchanged, (std::vector<std::string>{"in", "keep", "tcp"}));
  ASSERT_EQ(d.restarted.size(), 3u);
  EXPECT_EQ(d.restarted[0].id, "tune");
  EXPECT_EQ(d.restarted[0].why, "config");
  EXPECT_EQ(d.restarted[1].id, "rewire");
  EXPECT_EQ(d.restarted[1].why, "inputs");
  EXPECT_EQ(d.restarted[2].id, "swap");
  EXPECT_EQ(d.restarted[2].why, "plugin, topics");
  EXPECT_TRUE(d.changes_components());
  EXPECT_TRUE(d.restarts("swap"));
  EXPECT_FALSE(d.restarts("keep"));
}

TEST(PipelineDiff, TheSameFileChangesNothing) {
  const auto p = pipeline({spec("in", "nebula.transport.http"), spec("p", "x.proc", {{"k", "v"}}, {"in"})});
  const PipelineDiff d = diff_pipelines(p, p);
  EXPECT_FALSE(d.changes_components());
  EXPECT_EQ(d.unchanged.size(), 2u);
  EXPECT_TRUE(fixed_setting_changes(p, p).empty());
}

TEST(PipelineDiff, SettingsThatCannotChangeLiveAreNamed) {
  PipelineConfig a = pipeline({});
  PipelineConfig b = a;
  b.log_level = "debug";  // live
  EXPECT_TRUE(fixed_setting_changes(a, b).empty());
  b.wal.fsync = WalSettings::Fsync::Always;
  b.admin.port = 9999;
  b.state_dir = "/elsewhere";
  b.pool.queue_capacity = 5;
  const auto why = fixed_setting_changes(a, b);
  ASSERT_EQ(why.size(), 4u);
  EXPECT_EQ(why[0], "state_dir cannot change while the pool runs (restart it to apply)");
  EXPECT_NE(why[1].find("admin (address, port)"), std::string::npos);
  EXPECT_NE(why[2].find("pool.queue_capacity"), std::string::npos);
  EXPECT_NE(why[3].find("wal.fsync"), std::string::npos);
}
