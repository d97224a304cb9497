// validate_config(): every problem reported at its JSON pointer.
#include <gtest/gtest.h>

#include "memory_config.hpp"

using namespace nebula::memory;

TEST(MemoryConfig, DefaultsAreValid) {
  nebula::ConfigErrors errors;
  validate_config(nlohmann::json::object(), errors);
  EXPECT_TRUE(errors.empty()) << errors.text();
  Config c = parse_config(nlohmann::json::object());
  EXPECT_EQ(c.chain_hours, 168u);
  EXPECT_EQ(c.node_hours, 24u);
  EXPECT_DOUBLE_EQ(c.alpha, 0.05);
}

TEST(MemoryConfig, ProblemsPointAtTheirKey) {
  nebula::ConfigErrors errors;
  validate_config({{"alpha", 0}, {"chain_hours", 1.5}, {"top_deviations", -1}, {"topic", ""}, {"persist", true}},
                  errors);
  const std::string text = errors.text();
  for (const char* p : {"/alpha:", "/chain_hours:", "/top_deviations:", "/topic:", "/persist: unknown key"})
    EXPECT_NE(text.find(p), std::string::npos) << p << " in\n" << text;
}
