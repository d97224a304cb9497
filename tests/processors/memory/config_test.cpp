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

TEST(MemoryConfig, SavesOnATimerByDefault) {
  const Config c = parse_config(nlohmann::json::object());
  EXPECT_DOUBLE_EQ(c.persist_interval_s, 30.0);
  EXPECT_EQ(c.persist_every_batches, 0u) << "the batch bound is off unless set";
  nebula::ConfigErrors errors;
  validate_config({{"persist_interval_s", -1}, {"persist_every_batches", 0.5}}, errors);
  for (const char* p : {"/persist_interval_s:", "/persist_every_batches:"})
    EXPECT_NE(errors.text().find(p), std::string::npos) << p << " in\n" << errors.text();
  nebula::ConfigErrors none;
  validate_config({{"persist_interval_s", 0}, {"persist_every_batches", 0}}, none);
  EXPECT_TRUE(none.empty()) << none.text();
}
