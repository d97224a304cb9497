// Top-level settings: typed values, defaults, and every kind of bad value.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "pipeline_test_support.hpp"

namespace nebula::host {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using testing::fake_env;
using testing::PipelineYamlTest;

constexpr const char* kOneComponent = R"(
components:
  - id: http_in
    plugin: nebula.transport.http
)";

std::string with_component(const std::string& settings) { return settings + std::string(kOneComponent).substr(1); }

TEST(SettingsFixture, CompletePipelineGivesTypedValues) {
  const std::string fixtures = std::string(NEBULA_SOURCE_DIR) + "/tests/config/fixtures";
  ParseResult result = parse_pipeline(fixtures + "/pipeline.yaml", fake_env({}));
  ASSERT_THAT(testing::formatted(result.issues), IsEmpty());
  const PipelineConfig& config = result.config;

  EXPECT_EQ(config.file, fixtures + "/pipeline.yaml");
  EXPECT_THAT(config.plugin_paths, ElementsAre(std::string(NEBULA_SOURCE_DIR) + "/tests/config/build/plugins",
                                               "/opt/nebula/plugins"));
  EXPECT_EQ(config.state_dir, std::string(NEBULA_SOURCE_DIR) + "/tests/config/.state");
  EXPECT_EQ(config.log_level, "debug");
  EXPECT_FALSE(config.admin.enabled);
  EXPECT_EQ(config.admin.address, "0.0.0.0");
  EXPECT_EQ(config.admin.port, 0);
  EXPECT_EQ(config.pool.queue_capacity, 5000u);
  EXPECT_EQ(config.pool.batch_max_records, 50u);
  EXPECT_EQ(config.pool.batch_max_wait, std::chrono::milliseconds(250));
  EXPECT_EQ(config.pool.workers, 4u);
  EXPECT_TRUE(config.training.enabled);
  EXPECT_EQ(config.training.queue_capacity, 2000u);
  EXPECT_EQ(config.training.batch_max_insights, 10u);
  EXPECT_EQ(config.training.batch_max_wait, std::chrono::milliseconds(5000));
  EXPECT_EQ(config.training.checkpoint_interval, std::chrono::seconds(60));
  EXPECT_EQ(config.training.torch_threads_per_agent, 2);
  EXPECT_EQ(config.shutdown_timeout, std::chrono::milliseconds(3000));

  ASSERT_EQ(config.components.size(), 3u);
  const ComponentSpec& http = config.components[0];
  EXPECT_EQ(http.id, "http_in");
  EXPECT_EQ(http.plugin, "nebula.transport.http");
  EXPECT_EQ(http.mark.line, 18);
  EXPECT_EQ(http.mark.column, 5);
  EXPECT_EQ(http.plugin_mark.line, 19);
  EXPECT_EQ(http.plugin_mark.column, 13);
  const nlohmann::json expected_config = nlohmann::json::parse(R"({
    "port": 7000, "address": "127.0.0.1", "ratio": 0.25, "tls": false, "token": null,
    "quoted_number": "123", "single_quoted": "true", "block": "line one\n",
    "limits": {"max_body": 1048576, "paths": ["/a", 2, null]}
  })");
  EXPECT_EQ(http.config, expected_config);
  EXPECT_TRUE(http.config["port"].is_number_integer());
  EXPECT_TRUE(http.config["ratio"].is_number_float());
  EXPECT_TRUE(http.config_node.IsMap());

  const ComponentSpec* blocks = config.find("blocks");
  ASSERT_NE(blocks, nullptr);
  EXPECT_THAT(blocks->inputs, ElementsAre("http_in"));
  EXPECT_THAT(blocks->topics, ElementsAre("blockchain", "network"));
  ASSERT_EQ(blocks->input_marks.size(), 1u);
  EXPECT_EQ(blocks->input_marks[0].line, 33);
  EXPECT_EQ(blocks->input_marks[0].column, 14);
  EXPECT_EQ(blocks->config, nlohmann::json::object());
  EXPECT_EQ(config.find("nobody"), nullptr);
}

TEST_F(PipelineYamlTest, DefaultsApplyWhenSettingsAreLeftOut) {
  ParseResult result = parse(kOneComponent);
  ASSERT_THAT(testing::formatted(result.issues), IsEmpty());
  const PipelineConfig& config = result.config;
  EXPECT_THAT(config.plugin_paths, IsEmpty());
  EXPECT_EQ(config.state_dir, (dir_ / "conf" / ".state").string());
  EXPECT_EQ(config.log_level, "info");
  EXPECT_TRUE(config.admin.enabled);
  EXPECT_EQ(config.admin.address, "127.0.0.1");
  EXPECT_EQ(config.admin.port, 7070);
  EXPECT_EQ(config.pool.queue_capacity, 10000u);
  EXPECT_EQ(config.pool.batch_max_records, 100u);
  EXPECT_EQ(config.pool.batch_max_wait, std::chrono::milliseconds(1000));
  EXPECT_EQ(config.pool.workers, 2u);
  EXPECT_EQ(config.pool.admission_wait, std::chrono::milliseconds(500));
  EXPECT_EQ(config.training.queue_capacity, 1000u);
  EXPECT_EQ(config.training.checkpoint_interval, std::chrono::seconds(300));
  EXPECT_EQ(config.shutdown_timeout, std::chrono::milliseconds(15000));
}

TEST_F(PipelineYamlTest, EmptySectionsKeepDefaults) {
  ParseResult result = parse(with_component("pool:\ntraining:\n"));
  EXPECT_THAT(testing::formatted(result.issues), IsEmpty());
  EXPECT_EQ(result.config.pool.workers, 2u);
}

TEST_F(PipelineYamlTest, RelativePathsResolveAgainstTheFileDirectory) {
  ParseResult result = parse(with_component(R"(
plugins:
  paths:
    - ../build/plugins
    - /opt/nebula/plugins
    - ${EXTRA_PLUGINS:-extra/./plugins}
    - ${MORE_PLUGINS}
state_dir: ../var/state
)"), {{"MORE_PLUGINS", "/srv/plugins"}});
  ASSERT_THAT(testing::formatted(result.issues), IsEmpty());
  EXPECT_THAT(result.config.plugin_paths,
              ElementsAre((dir_ / "build" / "plugins").string(), "/opt/nebula/plugins",
                          (dir_ / "conf" / "extra" / "plugins").string(), "/srv/plugins"));
  EXPECT_EQ(result.config.state_dir, (dir_ / "var" / "state").string());
}

TEST(ParseText, RelativePathsResolveAgainstTheGivenBaseDir) {
  ParseResult result = parse_pipeline_text(
      "plugins: { paths: [plugins] }\nstate_dir: state\ncomponents: [{id: a, plugin: nebula.transport.http}]\n",
      "inline.yaml", "/srv/nebula", fake_env({}));
  ASSERT_THAT(testing::formatted(result.issues), IsEmpty());
  EXPECT_EQ(result.config.file, "inline.yaml");
  EXPECT_THAT(result.config.plugin_paths, ElementsAre("/srv/nebula/plugins"));
  EXPECT_EQ(result.config.state_dir, "/srv/nebula/state");
}

TEST_F(PipelineYamlTest, UnknownTopLevelKeyNamesTheAllowedKeys) {
  EXPECT_THAT(issues_of(with_component(R"(
version: 1
pol:
  workers: 2
)")),
              ElementsAre(at(2, 1,
                             "unknown key 'pol' at top level (allowed: version, plugins, state_dir, log_level, "
                             "admin, pool, training, sinks, shutdown, wal, limits, ingest, components); did you mean 'pool'?")));
}

TEST_F(PipelineYamlTest, AdmissionWaitIsBoundedByWhatAClientWouldStillWaitFor) {
  ParseResult zero = parse(with_component("pool: {admission_wait_ms: 0}\n"));
  EXPECT_THAT(testing::formatted(zero.issues), IsEmpty());
  EXPECT_EQ(zero.config.pool.admission_wait, std::chrono::milliseconds(0));
  EXPECT_THAT(issues_of(with_component("pool: {admission_wait_ms: 600000}\n")),
              ElementsAre(at(1, 27, "pool.admission_wait_ms must be an integer between 0 and 60000, got 600000")));
}

TEST_F(PipelineYamlTest, UnknownKeyInASectionPointsAtTheKey) {
  EXPECT_THAT(issues_of(with_component("pool: { queue_capacity: 10, wrkers: 2 }\n")),
              ElementsAre(at(1, 29,
                             "unknown key 'wrkers' in pool (allowed: admission_wait_ms, batch_max_records, batch_max_wait_ms, "
                             "queue_capacity, workers); did you mean 'workers'?")));
  EXPECT_THAT(issues_of(with_component("admin:\n  colour: blue\n")),
              ElementsAre(at(2, 3, "unknown key 'colour' in admin (allowed: address, enabled, public_probes, tls, token, token_file, port)")));
}

TEST_F(PipelineYamlTest, WrongTypesSayWhatWasExpectedAndGot) {
  EXPECT_THAT(issues_of(with_component(R"(
pool:
  workers: many
  queue_capacity: "100"
  batch_max_wait_ms: 1.5
admin: { enabled: yes, address: [a] }
training: [1, 2]
log_level: [info]
shutdown:
  timeout_ms:
)")),
              ElementsAre(at(2, 12, "pool.workers must be an integer between 1 and 64, got 'many'"),
                          at(3, 19, "pool.queue_capacity must be an integer between 1 and 10000000, got '100'"),
                          at(4, 22, "pool.batch_max_wait_ms must be an integer between 1 and 3600000, got 1.5"),
                          at(5, 19, "admin.enabled must be true or false, got 'yes'"),
                          at(5, 33, "admin.address must be a non-empty string, got a sequence"),
                          at(6, 11, "training must be a mapping, got a sequence"),
                          at(7, 12, "log_level must be one of trace, debug, info, warn, error, got a sequence"),
                          at(9, 3, "shutdown.timeout_ms must be an integer between 1 and 3600000, got nothing")));
}

TEST_F(PipelineYamlTest, OutOfRangeNumbersStateTheRange) {
  EXPECT_THAT(issues_of(with_component(R"(
pool: { queue_capacity: 0, workers: 100 }
admin: { port: 70000 }
training:
  checkpoint_interval_s: -1
  torch_threads_per_agent: 99999999999999999999
)")),
              ElementsAre(at(1, 25, "pool.queue_capacity must be an integer between 1 and 10000000, got 0"),
                          at(1, 37, "pool.workers must be an integer between 1 and 64, got 100"),
                          at(2, 16, "admin.port must be an integer between 0 and 65535, got 70000"),
                          at(4, 26, "training.checkpoint_interval_s must be an integer between 1 and 86400, got -1"),
                          at(5, 28,
                             "training.torch_threads_per_agent must be an integer between 1 and 64, got "
                             "'99999999999999999999'")));
}

TEST_F(PipelineYamlTest, BatchLargerThanItsQueueIsRejected) {
  EXPECT_THAT(issues_of(with_component("pool: { queue_capacity: 10, batch_max_records: 50 }\n")),
              ElementsAre(at(1, 48, "pool.batch_max_records (50) must not exceed pool.queue_capacity (10)")));
}

TEST_F(PipelineYamlTest, VersionMustBeOne) {
  EXPECT_THAT(issues_of(with_component("version: 2\n")),
              ElementsAre(at(1, 10, "version must be an integer between 1 and 1, got 2")));
}

TEST_F(PipelineYamlTest, LogLevelMustBeKnown) {
  EXPECT_THAT(issues_of(with_component("log_level: verbose\n")),
              ElementsAre(at(1, 12, "log_level must be one of trace, debug, info, warn, error, got 'verbose'")));
}

TEST_F(PipelineYamlTest, PluginPathsMustBeASequenceOfStrings) {
  EXPECT_THAT(issues_of(with_component("plugins:\n  paths: /opt/plugins\n  extra: 1\n")),
              ElementsAre(at(2, 10, "plugins.paths must be a sequence of directories, got '/opt/plugins'"),
                          at(3, 3, "unknown key 'extra' in plugins (allowed: paths)")));
  EXPECT_THAT(issues_of(with_component("plugins: { paths: [\"\", {a: 1}] }\n")),
              ElementsAre(at(1, 20, "each entry of plugins.paths must be a non-empty string, got ''"),
                          at(1, 24, "each entry of plugins.paths must be a non-empty string, got a mapping")));
}

TEST_F(PipelineYamlTest, RepeatedKeyIsReportedAtTheSecondOne) {
  EXPECT_THAT(issues_of(with_component("pool:\n  workers: 2\n  workers: 3\n")),
              ElementsAre(at(3, 3, "duplicate key 'workers' in pool")));
}

}  // namespace
}  // namespace nebula::host
