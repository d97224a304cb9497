#include <gtest/gtest.h>

#include "nebula_decision/decision_config.hpp"

namespace nebula::decision {
namespace {

TEST(DecisionConfig, Defaults) {
  auto c = DecisionConfig::parse(nlohmann::json::object());
  EXPECT_EQ(c.topic, "decisions");
  EXPECT_EQ(c.max_recommendations, 50);
  EXPECT_EQ(c.quarantine_after, 3);
  EXPECT_DOUBLE_EQ(c.quarantine_severity, 0.85);
  EXPECT_DOUBLE_EQ(c.repeat_window_s, 3600);
  EXPECT_FALSE(c.emit_unchanged);
}

TEST(DecisionConfig, ProblemsPointAtTheKey) {
  ConfigErrors errors;
  DecisionConfig::parse(nlohmann::json::parse(
                            R"({"max_recomendations": 5, "quarantine_after": 1, "quarantine_severity": 2,
                                "emit_unchanged": "yes", "max_chains": 2.5})"),
                        &errors);
  const auto& t = errors.text();
  EXPECT_NE(t.find("/max_recomendations: unknown key"), std::string::npos) << t;
  EXPECT_NE(t.find("/quarantine_after: must be between"), std::string::npos) << t;
  EXPECT_NE(t.find("/quarantine_severity: must be between"), std::string::npos) << t;
  EXPECT_NE(t.find("/emit_unchanged: must be true or false"), std::string::npos) << t;
  EXPECT_NE(t.find("/max_chains: must be a whole number"), std::string::npos) << t;
  EXPECT_THROW(DecisionConfig::parse(nlohmann::json::parse(R"({"x": 1})")), nebula::Error);
}

}  // namespace
}  // namespace nebula::decision
