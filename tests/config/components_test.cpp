// The components list: required keys, spelling of ids, and shape of each key.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "pipeline_test_support.hpp"

namespace nebula::host {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using testing::PipelineYamlTest;

TEST_F(PipelineYamlTest, UnknownComponentKeyPointsAtTheKey) {
  EXPECT_THAT(issues_of(R"(
components:
  - id: http_in
    plugin: nebula.transport.http
    input: [x]
)"),
              ElementsAre(at(4, 5,
                             "unknown key 'input' in component 'http_in' (allowed: id, plugin, config, inputs, "
                             "topics); did you mean 'inputs'?")));
}

TEST_F(PipelineYamlTest, MissingIdAndPluginPointAtTheComponent) {
  EXPECT_THAT(issues_of(R"(
components:
  - plugin: nebula.transport.http
  - id: blocks
    config: {}
)"),
              ElementsAre(at(2, 5, "component #1 has no 'id'"), at(3, 5, "component 'blocks' has no 'plugin'")));
}

TEST_F(PipelineYamlTest, ComponentsMustBeANonEmptySequenceOfMappings) {
  EXPECT_THAT(issues_of("components: []\n"),
              ElementsAre(at(1, 13, "components must not be empty: a pipeline needs at least one component")));
  EXPECT_THAT(issues_of("components:\n  http_in: nebula.transport.http\n"),
              ElementsAre(at(2, 3, "components must be a sequence of components, got a mapping")));
  EXPECT_THAT(issues_of("components:\n  - http_in\n"),
              ElementsAre(at(2, 5, "each component must be a mapping with 'id' and 'plugin', got 'http_in'")));
  EXPECT_THAT(issues_of("log_level: info\n"), ElementsAre(at(1, 1, "missing required key 'components' (the list of components)")));
}

TEST_F(PipelineYamlTest, ComponentIdMustBeWellFormed) {
  EXPECT_THAT(issues_of(R"(
components:
  - id: http in
    plugin: nebula.transport.http
  - id: 9lives
    plugin: nebula.transport.http
  - id: ""
    plugin: nebula.transport.http
)"),
              ElementsAre(at(2, 9, "invalid component id 'http in': use letters, digits, '_' and '-', starting "
                                   "with a letter or '_'"),
                          at(4, 9, "invalid component id '9lives': use letters, digits, '_' and '-', starting "
                                   "with a letter or '_'"),
                          at(6, 9, "id of component #3 must be a non-empty string, got ''")));
}

TEST_F(PipelineYamlTest, PluginIdMustBeReverseDns) {
  const std::string why =
      "': expected a reverse-DNS id such as 'nebula.processor.pattern' (lowercase segments separated by dots, at "
      "least two)";
  EXPECT_THAT(issues_of(R"(
components:
  - id: a
    plugin: Nebula.Transport.HTTP
  - id: b
    plugin: http
  - id: c
    plugin: nebula..http
  - id: d
    plugin: ./libhttp.so
  - id: e
    plugin: nebula.transport.http_v2
)"),
              ElementsAre(at(3, 13, "invalid plugin id 'Nebula.Transport.HTTP" + why),
                          at(5, 13, "invalid plugin id 'http" + why), at(7, 13, "invalid plugin id 'nebula..http" + why),
                          at(9, 13, "invalid plugin id './libhttp.so" + why)));
}

// libstdc++'s std::regex recursed once per character: a 5,585-character
// plugin id overflowed the stack (found by the fuzzer). Long ids are judged
// like short ones.
TEST_F(PipelineYamlTest, VeryLongIdsAreJudgedNotACrash) {
  const std::string segment(6000, 'a');
  EXPECT_THAT(issues_of("components:\n  - id: " + segment + "\n    plugin: nebula." + segment + "\n"), IsEmpty());
  const auto issues = issues_of("components:\n  - id: " + segment + "!\n    plugin: nebula." + segment + "-\n");
  ASSERT_EQ(issues.size(), 2u);
  EXPECT_THAT(issues[0], ::testing::HasSubstr("id"));
  EXPECT_THAT(issues[1], ::testing::HasSubstr("invalid plugin id"));
}

TEST_F(PipelineYamlTest, ComponentValuesMustHaveTheRightShape) {
  EXPECT_THAT(issues_of(R"(
components:
  - id: a
    plugin: nebula.transport.http
    config: [port, 7000]
  - id: b
    plugin: nebula.processor.block_data
    inputs: a
    topics: [blockchain, {x: 1}]
)"),
              ElementsAre(at(4, 13, "config of component 'a' must be a mapping, got a sequence"),
                          at(7, 13, "inputs of component 'b' must be a sequence of component ids, got 'a'"),
                          at(8, 26, "each topic in topics of component 'b' must be a non-empty string, got a mapping")));
}

TEST_F(PipelineYamlTest, EmptyConfigAndInputsAreAllowed) {
  ParseResult result = parse(R"(
components:
  - id: a
    plugin: nebula.transport.http
    config:
    inputs:
    topics: []
)");
  EXPECT_THAT(testing::formatted(result.issues), IsEmpty());
  ASSERT_EQ(result.config.components.size(), 1u);
  EXPECT_EQ(result.config.components[0].config, nlohmann::json::object());
  EXPECT_THAT(result.config.components[0].inputs, IsEmpty());
}

TEST_F(PipelineYamlTest, RepeatedKeyInsideAComponentConfigIsReported) {
  EXPECT_THAT(issues_of(R"(
components:
  - id: a
    plugin: nebula.transport.http
    config:
      port: 1
      port: 2
)"),
              ElementsAre(at(6, 7, "duplicate key 'port'")));
}

// yaml-cpp resolves an alias to the anchored node itself, so an alias inside
// its own anchor makes a value that contains itself (found by the fuzzer as
// a stack overflow in the conversion).
TEST_F(PipelineYamlTest, AnAliasInsideItsOwnAnchorIsReportedNotFollowed) {
  EXPECT_THAT(issues_of(R"(
components:
  - id: a
    plugin: nebula.transport.http
    config: &loop {port: 1, again: *loop}
)"),
              ElementsAre(at(4, 13, "values nest deeper than 128 levels here (an alias inside the node it names?)")));
}

// "Billion laughs": each line doubles the one before, 2^30 values in all.
TEST_F(PipelineYamlTest, AliasesThatExpandPastTheValueBudgetAreReported) {
  std::string yaml = "components:\n  - id: a\n    plugin: nebula.transport.http\n    config:\n      x0: &x0 [v, v]\n";
  for (int i = 1; i <= 30; ++i) {
    yaml += "      x" + std::to_string(i) + ": &x" + std::to_string(i) + " [*x" + std::to_string(i - 1) + ", *x" +
            std::to_string(i - 1) + "]\n";
  }
  const auto issues = issues_of(yaml);
  ASSERT_EQ(issues.size(), 1u) << ::testing::PrintToString(issues);
  EXPECT_THAT(issues[0], ::testing::HasSubstr("this configuration expands to more than 100000 values"));
}

TEST_F(PipelineYamlTest, NestingUpToTheLimitIsRead) {
  const int levels = 127;  // the config mapping is the 128th
  std::string yaml = "components:\n  - id: a\n    plugin: nebula.transport.http\n    config: {deep: " +
                     std::string(levels, '[') + "7" + std::string(levels, ']') + "}\n";
  const auto result = parse(yaml);
  EXPECT_THAT(testing::formatted(result.issues), IsEmpty());
  ASSERT_EQ(result.config.components.size(), 1u);
  const nlohmann::json* value = &result.config.components[0].config["deep"];
  for (int i = 0; i < levels; ++i) {
    ASSERT_TRUE(value->is_array() && value->size() == 1u) << "level " << i;
    value = &(*value)[0];
  }
  EXPECT_EQ(*value, 7);
}

}  // namespace
}  // namespace nebula::host
