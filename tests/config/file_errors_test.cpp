// Problems with the file as a whole, and many problems reported in one run.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "pipeline_test_support.hpp"

namespace nebula::host {
namespace {

using ::testing::ElementsAre;
using ::testing::SizeIs;
using testing::PipelineYamlTest;

TEST_F(PipelineYamlTest, SyntaxErrorIsOneIssueAtYamlCppsMark) {
  EXPECT_THAT(issues_of(R"(
version: 1
components: [a
pool: {}
)"),
              ElementsAre(at(3, 5, "invalid YAML: end of sequence flow not found")));
  EXPECT_THAT(issues_of("components:\n\t- id: a\n"), ElementsAre(at(2, 2, "invalid YAML: illegal block entry")));
}

TEST_F(PipelineYamlTest, SyntaxErrorFromUnquotedReferenceInFlowStyleExplainsItself) {
  EXPECT_THAT(issues_of("admin: { port: ${ADMIN_PORT:-7070} }\ncomponents: []\n"),
              ElementsAre(at(1, 17,
                             "invalid YAML: end of map flow not found (an unquoted ${...} cannot appear inside [ ] "
                             "or { }: use block style, or quote it and get a string)")));
}

TEST_F(PipelineYamlTest, EmptyFileIsAnIssue) {
  EXPECT_THAT(issues_of(""), ElementsAre(at(1, 1, "the pipeline file is empty; it needs at least a 'components' list")));
  EXPECT_THAT(issues_of("# only a comment\n"), SizeIs(1));
}

TEST_F(PipelineYamlTest, FileMustBeAMapping) {
  EXPECT_THAT(issues_of("- id: a\n"),
              ElementsAre(at(1, 1, "the pipeline file must be a mapping of settings with a 'components' list, got "
                                   "a sequence")));
}

TEST_F(PipelineYamlTest, SecondDocumentIsAnIssue) {
  EXPECT_THAT(issues_of("components: [{id: a, plugin: nebula.transport.http}]\n---\nlog_level: info\n"),
              ElementsAre(at(3, 1, "a pipeline file holds one YAML document; this second one is not allowed")));
}

// YAML::LoadAll (yaml-cpp 0.7) looped forever, allocating, on these
// (fuzz/corpus/pipeline_yaml/regress_yaml_cpp_loadall_loop.yaml).
TEST_F(PipelineYamlTest, StrayCommaIsAnIssueNotAHang) {
  EXPECT_THAT(issues_of(","), SizeIs(1));
  EXPECT_THAT(issues_of("!_iSn,copyn"), SizeIs(2));  // not a mapping; a second document
}

TEST(PipelineFile, MissingFileIsAnIssueWithoutPosition) {
  ParseResult result = parse_pipeline("/nonexistent/nebula/pipeline.yaml", testing::fake_env({}));
  ASSERT_THAT(result.issues, SizeIs(1));
  EXPECT_EQ(result.issues[0].format(),
            "/nonexistent/nebula/pipeline.yaml: cannot open the pipeline file: No such file or directory");
}

TEST_F(PipelineYamlTest, DirectoryIsNotAPipelineFile) {
  ParseResult result = parse_pipeline(dir_.string(), testing::fake_env({}));
  EXPECT_THAT(testing::formatted(result.issues),
              ElementsAre(dir_.string() + ": is a directory, not a pipeline file"));
}

TEST_F(PipelineYamlTest, EveryProblemOfTheFileIsReportedInOneRunInFileOrder) {
  ParseResult result = parse(R"(
version: 3
logging: debug
pool:
  workers: 0
admin:
  port: ${ADMIN_PORT}
components:
  - id: http_in
    plugin: nebula.transport.http
    colour: red
  - id: http_in
    plugin: Bad.Id
  - id: blocks
    plugin: nebula.processor.block_data
    inputs: [http_inn, blocks]
  - id: x
    plugin: nebula.processor.x
    inputs: [y]
  - id: y
    plugin: nebula.processor.y
    inputs: [x]
)");
  EXPECT_THAT(testing::formatted(result.issues),
              ElementsAre(at(1, 10, "version must be an integer between 1 and 1, got 3"),
                          at(2, 1,
                             "unknown key 'logging' at top level (allowed: version, plugins, state_dir, log_level, "
                             "admin, pool, training, sinks, shutdown, wal, limits, ingest, components)"),
                          at(4, 12, "pool.workers must be an integer between 1 and 64, got 0"),
                          at(6, 9, "environment variable ADMIN_PORT is not set"),
                          at(10, 5,
                             "unknown key 'colour' in component 'http_in' (allowed: id, plugin, config, inputs, "
                             "topics)"),
                          at(11, 9, "duplicate component id 'http_in' (first defined at line 8)"),
                          at(12, 13,
                             "invalid plugin id 'Bad.Id': expected a reverse-DNS id such as "
                             "'nebula.processor.pattern' (lowercase segments separated by dots, at least two)"),
                          at(15, 14, "component 'blocks' takes input from unknown component 'http_inn'; did you "
                                     "mean 'http_in'?"),
                          at(15, 24, "component 'blocks' cannot take input from itself"),
                          at(18, 14, "inputs form a cycle: x -> y -> x")));
  // Best effort: what could be read is still there.
  EXPECT_THAT(result.config.components, SizeIs(5));
  EXPECT_EQ(result.config.pool.workers, 2u);
}

}  // namespace
}  // namespace nebula::host
