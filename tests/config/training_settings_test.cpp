// training.priority (how training yields the CPU to ingest), training.cpu_limit
// (how much of it training may take), and how
// training.torch_threads_per_agent reaches the agents' own configs.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/agent_thread_defaults.hpp"
#include "pipeline_test_support.hpp"

namespace nebula::host {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using testing::PipelineYamlTest;
using Priority = TrainingSettings::Priority;

constexpr const char* kComponents = R"(components:
  - {id: http_in, plugin: nebula.transport.http}
  - {id: torch_agent, plugin: nebula.agent.torch, inputs: [http_in]}
  - {id: own_threads, plugin: nebula.agent.torch, inputs: [http_in], config: {torch_threads: 3}}
  - {id: strict_agent, plugin: nebula.agent.strict, inputs: [http_in], config: {subscribe: [x]}}
  - {id: blocks, plugin: nebula.processor.torch, inputs: [http_in]}
)";

TEST_F(PipelineYamlTest, TrainingPriorityIsIdleUnlessSet) {
  EXPECT_EQ(parse(kComponents).config.training.priority, Priority::Idle);
  for (const auto& [text, expected] : {std::pair{"idle", Priority::Idle}, std::pair{"low", Priority::Low},
                                       std::pair{"normal", Priority::Normal}}) {
    ParseResult result = parse(std::string("training: {priority: ") + text + "}\n" + kComponents);
    EXPECT_THAT(testing::formatted(result.issues), IsEmpty());
    EXPECT_EQ(result.config.training.priority, expected) << text;
  }
}

TEST_F(PipelineYamlTest, AnUnknownTrainingPriorityIsAClearError) {
  EXPECT_THAT(issues_of(std::string("training:\n  priority: lowest\n") + kComponents),
              ElementsAre(at(2, 13, "training.priority must be one of idle, low, normal, got 'lowest'")));
  EXPECT_THAT(issues_of(std::string("training: {priority: 19}\n") + kComponents),
              ElementsAre(at(1, 22, "training.priority must be one of idle, low, normal, got 19")));
}

TEST_F(PipelineYamlTest, TrainingCpuLimitIsACountOfCoresAndNoneUnlessSet) {
  EXPECT_EQ(parse(kComponents).config.training.cpu_limit, 0);
  for (const auto& [text, expected] : {std::pair{"0.5", 0.5}, std::pair{"2", 2.0}, std::pair{"0", 0.0}}) {
    ParseResult result = parse(std::string("training: {cpu_limit: ") + text + "}\n" + kComponents);
    EXPECT_THAT(testing::formatted(result.issues), IsEmpty());
    EXPECT_EQ(result.config.training.cpu_limit, expected) << text;
  }
  EXPECT_THAT(issues_of(std::string("training:\n  cpu_limit: -1\n") + kComponents),
              ElementsAre(at(2, 14, "training.cpu_limit must be a number between 0 and 1024, got -1")));
  EXPECT_THAT(issues_of(std::string("training:\n  cpu_limit: half\n") + kComponents),
              ElementsAre(at(2, 14, "training.cpu_limit must be a number between 0 and 1024, got 'half'")));
}

// nebula.agent.torch accepts torch_threads 1..64; nebula.agent.strict rejects unknown keys.
PluginLookup fake_agents() {
  return [](const std::string& id) -> std::optional<PluginFacts> {
    PluginFacts facts{NEBULA_KIND_PROCESSOR, nullptr};
    if (id.starts_with("nebula.transport.")) facts.kind = NEBULA_KIND_TRANSPORT;
    if (id.starts_with("nebula.agent.")) facts.kind = NEBULA_KIND_AGENT;
    const bool strict = id == "nebula.agent.strict";
    facts.validate = [strict](const nlohmann::json& cfg) {
      std::vector<std::pair<std::string, std::string>> errors;
      if (strict && cfg.contains("torch_threads")) errors.emplace_back("/torch_threads", "unknown key");
      return errors;
    };
    return facts;
  };
}

TEST_F(PipelineYamlTest, TorchThreadsPerAgentReachesAgentsThatTakeTheKey) {
  ParseResult result = parse(std::string("training: {torch_threads_per_agent: 2}\n") + kComponents);
  ASSERT_THAT(testing::formatted(result.issues), IsEmpty());
  fill_agent_torch_threads(result.config, fake_agents());
  const auto& c = result.config.components;
  EXPECT_EQ(c[1].config, nlohmann::json({{"torch_threads", 2}}));          // filled in
  EXPECT_EQ(c[2].config, nlohmann::json({{"torch_threads", 3}}));          // its own value wins
  EXPECT_EQ(c[3].config, nlohmann::json::parse(R"({"subscribe":["x"]})"));  // would refuse the key
  EXPECT_EQ(c[4].config, nlohmann::json::object());                         // not an agent
  EXPECT_EQ(c[0].config, nlohmann::json::object());
}

TEST_F(PipelineYamlTest, TorchThreadsPerAgentDefaultsToOne) {
  ParseResult result = parse(kComponents);
  fill_agent_torch_threads(result.config, fake_agents());
  EXPECT_EQ(result.config.components[1].config["torch_threads"], 1);
}

}  // namespace
}  // namespace nebula::host
