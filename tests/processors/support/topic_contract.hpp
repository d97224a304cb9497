// Holds insights to their topic's contract (sdk/schemas/topics/<topic>.schema.json)
// in GoogleTest terms: EXPECT_TRUE(topic_contract::conforms("network", doc)).
// Needs NebulaSDK::schemas linked.
#pragma once

#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <nebula/testing/json_schema.hpp>
#include <nebula/testing/mock_host.hpp>

namespace topic_contract {

inline ::testing::AssertionResult conforms(const std::string& topic, const nlohmann::json& doc) {
  const auto violations = nebula::testing::topic_schema(topic).validate(doc);
  if (violations.empty()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "a \"" << topic << "\" insight breaks its schema:\n"
                                       << nebula::testing::describe(violations) << "document: " << doc.dump();
}

// Every insight against the schema of the topic it was emitted on; fails on
// an empty list too, since a test that validated nothing proves nothing.
inline ::testing::AssertionResult all_conform(const std::vector<nebula::testing::EmittedInsight>& insights) {
  if (insights.empty()) return ::testing::AssertionFailure() << "no insight was emitted";
  for (const auto& insight : insights)
    if (auto result = conforms(insight.topic, nlohmann::json::parse(insight.json)); !result) return result;
  return ::testing::AssertionSuccess();
}

}  // namespace topic_contract
