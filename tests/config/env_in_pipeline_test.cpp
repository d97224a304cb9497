// ${VAR} expansion inside a pipeline file: before typing, values only, with
// problems reported at the scalar that holds the reference.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "pipeline_test_support.hpp"

namespace nebula::host {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using testing::PipelineYamlTest;

constexpr const char* kPipeline = R"(
admin:
  port: ${ADMIN_PORT:-7071}
  enabled: ${ADMIN_ON:-false}
components:
  - id: http_in
    plugin: nebula.transport.${TRANSPORT:-http}
    config:
      port: ${HTTP_PORT}
      token: "${TOKEN:?set TOKEN to the shared ingest secret}"
      template: "$${HOME} stays literal"
      quoted_port: "${HTTP_PORT}"
      ${NOT_EXPANDED}: key
)";

TEST_F(PipelineYamlTest, ExpandedValuesAreTypedLikeWrittenValues) {
  ParseResult result = parse(kPipeline, {{"HTTP_PORT", "7000"}, {"TOKEN", "s3cret"}});
  ASSERT_THAT(testing::formatted(result.issues), IsEmpty());
  EXPECT_EQ(result.config.admin.port, 7071);   // default used
  EXPECT_FALSE(result.config.admin.enabled);  // "false" typed as a bool
  const ComponentSpec& http = result.config.components.at(0);
  EXPECT_EQ(http.plugin, "nebula.transport.http");
  EXPECT_EQ(http.config["port"], nlohmann::json(7000));
  EXPECT_TRUE(http.config["port"].is_number_integer());
  EXPECT_EQ(http.config["token"], "s3cret");
  EXPECT_EQ(http.config["template"], "${HOME} stays literal");
  EXPECT_EQ(http.config["quoted_port"], "7000");  // quoted: stays a string
  EXPECT_EQ(http.config["${NOT_EXPANDED}"], "key");
}

TEST_F(PipelineYamlTest, SetVariablesOverrideDefaults) {
  ParseResult result = parse(kPipeline, {{"HTTP_PORT", "7000"}, {"TOKEN", "t"}, {"ADMIN_PORT", "9999"},
                                         {"ADMIN_ON", "true"}, {"TRANSPORT", "tcp"}});
  ASSERT_THAT(testing::formatted(result.issues), IsEmpty());
  EXPECT_EQ(result.config.admin.port, 9999);
  EXPECT_TRUE(result.config.admin.enabled);
  EXPECT_EQ(result.config.components.at(0).plugin, "nebula.transport.tcp");
}

TEST_F(PipelineYamlTest, EmptyVariableFallsBackToTheDefault) {
  ParseResult result = parse(kPipeline, {{"HTTP_PORT", "7000"}, {"TOKEN", "t"}, {"ADMIN_PORT", ""}});
  ASSERT_THAT(testing::formatted(result.issues), IsEmpty());
  EXPECT_EQ(result.config.admin.port, 7071);
}

TEST_F(PipelineYamlTest, UnsetAndRequiredVariablesAreReportedAtTheirScalar) {
  EXPECT_THAT(issues_of(kPipeline, {{"TOKEN", ""}}),
              ElementsAre(at(8, 13, "environment variable HTTP_PORT is not set"),
                          at(9, 14, "TOKEN: set TOKEN to the shared ingest secret"),
                          at(11, 20, "environment variable HTTP_PORT is not set")));
}

TEST_F(PipelineYamlTest, ExpandedValueIsCheckedLikeAWrittenOne) {
  EXPECT_THAT(issues_of(kPipeline, {{"HTTP_PORT", "1"}, {"TOKEN", "t"}, {"ADMIN_PORT", "http"}}),
              ElementsAre(at(2, 9, "admin.port must be an integer between 0 and 65535, got 'http'")));
}

TEST_F(PipelineYamlTest, MalformedReferenceIsReported) {
  EXPECT_THAT(issues_of(R"(
state_dir: ${STATE_DIR
components:
  - id: a
    plugin: nebula.transport.http
)"),
              ElementsAre(at(1, 12, "unterminated '${' in '${STATE_DIR' (missing '}')")));
}

}  // namespace
}  // namespace nebula::host
