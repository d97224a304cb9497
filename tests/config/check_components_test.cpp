// Phase 2 against a fake plugin registry: unknown plugins, kind wiring, and
// each plugin's own config errors mapped back to YAML lines and columns.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "nebula/host.hpp"
#include "pipeline_test_support.hpp"

namespace nebula::host {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using testing::PipelineYamlTest;

using Validate = decltype(PluginFacts::validate);

// Kind by the id's second segment: nebula.<kind>.<name>; "missing" is absent.
PluginLookup fake_plugins(std::map<std::string, Validate> validators = {}) {
  return [validators = std::move(validators)](const std::string& id) -> std::optional<PluginFacts> {
    if (id.find(".missing") != std::string::npos) return std::nullopt;
    PluginFacts facts{NEBULA_KIND_PROCESSOR, nullptr};
    if (id.starts_with("nebula.transport.")) facts.kind = NEBULA_KIND_TRANSPORT;
    if (id.starts_with("nebula.agent.")) facts.kind = NEBULA_KIND_AGENT;
    if (id.starts_with("nebula.sink.")) facts.kind = NEBULA_KIND_SINK;
    if (auto it = validators.find(id); it != validators.end()) facts.validate = it->second;
    return facts;
  };
}

class CheckComponentsTest : public PipelineYamlTest {
 protected:
  // Phase 1 must pass; returns the phase-2 issues, formatted.
  std::vector<std::string> check(const std::string& yaml, std::map<std::string, Validate> validators = {}) {
    result_ = parse(yaml);
    EXPECT_THAT(testing::formatted(result_.issues), IsEmpty());
    std::vector<ConfigIssue> issues;
    check_components(result_.config, fake_plugins(std::move(validators)), issues);
    return testing::formatted(issues);
  }
  ParseResult result_;
};

TEST_F(CheckComponentsTest, WellWiredPipelinePasses) {
  EXPECT_THAT(check(R"(
components:
  - id: http_in
    plugin: nebula.transport.http
  - id: blocks
    plugin: nebula.processor.block_data
    inputs: [http_in]
  - id: patterns
    plugin: nebula.processor.pattern
    inputs: [blocks, http_in]
    topics: [blockchain]
  - id: archivist
    plugin: nebula.agent.archivist
    inputs: [blocks, patterns]
)"),
              IsEmpty());
}

TEST_F(CheckComponentsTest, UnknownPluginIsReportedAtThePluginValue) {
  EXPECT_THAT(check(R"(
components:
  - id: http_in
    plugin: nebula.transport.missing
)"),
              ElementsAre(at(3, 13, "no plugin with id 'nebula.transport.missing' was found in the plugin paths")));
}

TEST_F(CheckComponentsTest, TransportTakesNoInputs) {
  EXPECT_THAT(check(R"(
components:
  - id: tcp_in
    plugin: nebula.transport.tcp
  - id: http_in
    plugin: nebula.transport.http
    inputs: [tcp_in]
)"),
              ElementsAre(at(6, 14, "component 'http_in' (transport) cannot take inputs: transports receive their "
                                    "data from outside the pool")));
}

TEST_F(CheckComponentsTest, AgentsPublishToProcessorsAgentsAndSinks) {
  EXPECT_THAT(check(R"(
components:
  - id: http_in
    plugin: nebula.transport.http
  - id: blocks
    plugin: nebula.processor.block_data
    inputs: [http_in]
  - id: trainer
    plugin: nebula.agent.archivist
    inputs: [blocks]
  - id: late
    plugin: nebula.processor.late
    inputs: [blocks, trainer]
  - id: second_agent
    plugin: nebula.agent.analyst
    inputs: [trainer]
  - id: history
    plugin: nebula.sink.sqlite
    inputs: [late, trainer]
)"),
              IsEmpty());
}

TEST_F(CheckComponentsTest, NothingTakesASinkAsInputAndSinksTakeNoRawRecords) {
  EXPECT_THAT(check(R"(
components:
  - id: http_in
    plugin: nebula.transport.http
  - id: blocks
    plugin: nebula.processor.block_data
    inputs: [http_in]
  - id: history
    plugin: nebula.sink.sqlite
    inputs: [blocks, http_in]
  - id: late
    plugin: nebula.processor.late
    inputs: [history]
  - id: lonely
    plugin: nebula.sink.file
)"),
              ElementsAre(at(9, 22, "component 'history' (sink) cannot take input from 'http_in' (transport): sinks "
                                    "take insights, not raw records"),
                          at(12, 14, "component 'late' (processor) cannot take input from 'history' (sink): sinks "
                                     "send data out of the pool and produce none"),
                          at(13, 5, "component 'lonely' (sink) has no inputs, so it would never send anything")));
}

TEST_F(CheckComponentsTest, AgentTakesNoRawRecords) {
  EXPECT_THAT(check(R"(
components:
  - id: http_in
    plugin: nebula.transport.http
  - id: trainer
    plugin: nebula.agent.archivist
    inputs: [http_in]
)"),
              ElementsAre(at(6, 14, "component 'trainer' (agent) cannot take input from 'http_in' (transport): agents "
                                    "learn from processor insights, not raw records")));
}

TEST_F(CheckComponentsTest, ProcessorsAndAgentsNeedInputs) {
  EXPECT_THAT(check(R"(
components:
  - id: blocks
    plugin: nebula.processor.block_data
  - id: trainer
    plugin: nebula.agent.archivist
)"),
              ElementsAre(at(2, 5, "component 'blocks' (processor) has no inputs, so it would never run"),
                          at(4, 5, "component 'trainer' (agent) has no inputs, so it would never learn")));
}

TEST_F(CheckComponentsTest, ComponentsOfUnknownPluginsAreLeftOutOfWiringChecks) {
  EXPECT_THAT(check(R"(
components:
  - id: http_in
    plugin: nebula.transport.missing
  - id: blocks
    plugin: nebula.processor.block_data
    inputs: [http_in]
)"),
              ElementsAre(at(3, 13, "no plugin with id 'nebula.transport.missing' was found in the plugin paths")));
}

// Behaves like a real plugin: ConfigErrors text, split by split_plugin_errors.
std::vector<std::pair<std::string, std::string>> strict_http_validate(const nlohmann::json& config) {
  ConfigErrors errors;
  if (config.value("/listen/port"_json_pointer, 0) > 65535) errors.add("/listen/port", "must be between 1 and 65535");
  errors.add("/routes/0/methods/1", "unknown HTTP method 'PUTT'");
  errors.add("/a~1b~0c", "odd key seen");
  errors.add("/listen/tls/key", "is required when cert is set");
  errors.add("/routes/7", "no such route");
  errors.add("", "whole config problem");
  return split_plugin_errors(errors.text());
}

TEST_F(CheckComponentsTest, PluginConfigErrorsPointAtTheNestedKey) {
  nlohmann::json seen;
  auto validate = [&](const nlohmann::json& config) {
    seen = config;
    return strict_http_validate(config);
  };
  EXPECT_THAT(check(R"(
components:
  - id: http_in
    plugin: nebula.transport.http
    config:
      listen:
        port: 99999
        tls: { cert: /etc/cert.pem }
      routes:
        - path: /ingest
          methods: [POST, PUTT]
      "a/b~c": 1
)",
                    {{"nebula.transport.http", validate}}),
              ElementsAre(at(5, 7, "component 'http_in' config: whole config problem"),
                          at(6, 9, "component 'http_in' config /listen/port: must be between 1 and 65535"),
                          at(7, 9, "component 'http_in' config /listen/tls/key: is required when cert is set"),
                          at(8, 7, "component 'http_in' config /routes/7: no such route"),
                          at(10, 27, "component 'http_in' config /routes/0/methods/1: unknown HTTP method 'PUTT'"),
                          at(11, 7, "component 'http_in' config /a~1b~0c: odd key seen")));
  EXPECT_EQ(seen["listen"]["port"], nlohmann::json(99999));
}

TEST_F(CheckComponentsTest, PluginErrorWithoutConfigPointsAtTheComponent) {
  auto validate = [](const nlohmann::json&) {
    return std::vector<std::pair<std::string, std::string>>{{"/port", "is required"}};
  };
  EXPECT_THAT(check(R"(
components:
  - id: http_in
    plugin: nebula.transport.http
)",
                    {{"nebula.transport.http", validate}}),
              ElementsAre(at(2, 5, "component 'http_in' config /port: is required")));
}

TEST_F(CheckComponentsTest, ThrowingValidatorBecomesAnIssue) {
  auto validate = [](const nlohmann::json&) -> std::vector<std::pair<std::string, std::string>> {
    throw std::runtime_error("boom");
  };
  EXPECT_THAT(check(R"(
components:
  - id: http_in
    plugin: nebula.transport.http
)",
                    {{"nebula.transport.http", validate}}),
              ElementsAre(at(3, 13, "plugin 'nebula.transport.http' failed to check the config of component "
                                    "'http_in': boom")));
}

}  // namespace
}  // namespace nebula::host
