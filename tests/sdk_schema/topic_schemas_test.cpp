// The topic contracts the SDK ships: one per topic a default-pipeline
// processor or agent publishes, each loadable by the validator (so none uses a
// keyword it would silently ignore), each rejecting a document of another kind.
#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include <nebula/testing/json_schema.hpp>

namespace {

namespace fs = std::filesystem;
using nebula::testing::topic_schema;

// block_data and transaction_analyzer share `blockchain`; the three agents
// publish `anomalies` (Analyst), `health` (Resonant) and `forecasts`
// (Archivist): their real output is held to these schemas in
// tests/agents/contract/agent_evidence_contract_test.cpp.
const std::set<std::string> kPublishedTopics = {"blockchain", "network",  "stream",    "patterns",  "intelligence",
                                                "learning",   "memory",   "decisions", "anomalies", "health",
                                                "forecasts"};

TEST(TopicSchemas, OneFilePerPublishedTopic) {
  std::set<std::string> found;
  for (const auto& entry : fs::directory_iterator(fs::path(NEBULA_SCHEMA_DIR) / "topics")) {
    const std::string name = entry.path().filename().string();
    ASSERT_TRUE(name.ends_with(".schema.json")) << name;
    found.insert(name.substr(0, name.size() - std::string(".schema.json").size()));
  }
  EXPECT_EQ(found, kPublishedTopics);
}

TEST(TopicSchemas, EachLoadsAndIsTitledByItsTopic) {
  for (const auto& topic : kPublishedTopics) {
    SCOPED_TRACE(topic);
    const auto& schema = topic_schema(topic);  // throws on an unsupported keyword or a dangling $ref
    EXPECT_EQ(schema.document().value("title", ""), topic);
  }
}

TEST(TopicSchemas, EachRejectsAnEmptyObjectAndAnotherKind) {
  for (const auto& topic : kPublishedTopics) {
    SCOPED_TRACE(topic);
    EXPECT_FALSE(topic_schema(topic).validate(nlohmann::json::object()).empty());
    EXPECT_FALSE(topic_schema(topic).validate({{"kind", "something_else"}}).empty());
  }
}

}  // namespace
