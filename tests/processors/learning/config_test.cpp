// validate_config(): every problem reported at its JSON pointer.
#include <gtest/gtest.h>

#include "learning_config.hpp"

using namespace nebula::learning;

namespace {
std::string problems(const nlohmann::json& cfg) {
  nebula::ConfigErrors errors;
  validate_config(cfg, errors);
  return errors.text();
}
}  // namespace

TEST(LearningConfig, DefaultsAreValid) {
  EXPECT_EQ(problems(nlohmann::json::object()), "");
  Config c = parse_config(nlohmann::json::object());
  EXPECT_EQ(c.topic, "learning");
  EXPECT_EQ(c.max_examples_per_insight, 100u);
  EXPECT_EQ(c.freeze_after, 0u);
  EXPECT_EQ(c.persist_every_batches, 10u);
}

TEST(LearningConfig, ProblemsPointAtTheirKey) {
  const std::string text = problems({{"max_examples_per_insight", 0},
                                     {"freeze_after", -3},
                                     {"block_time_s", {{"mainnet", "thirty"}}},
                                     {"patterns_topic", 5},
                                     {"extra", true}});
  for (const char* p : {"/max_examples_per_insight:", "/freeze_after:", "/block_time_s/mainnet:", "/patterns_topic:",
                        "/extra: unknown key"})
    EXPECT_NE(text.find(p), std::string::npos) << p << " in\n" << text;
}
