// Real insights for the sink tests: the nine processors' output on the fixed
// simulator run of tests/same_answers (tests/fixtures/same_answers), read
// once per test process.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace nebula::sinks::testing {

struct GoldenInsight {
  std::string processor;  // the component that emitted it: the insight's source
  std::string topic;
  nlohmann::json doc;
  std::string json;  // doc as text, as a sink receives it
};

// In emission order. Throws std::runtime_error when the fixture is missing.
const std::vector<GoldenInsight>& golden_insights();

// The first `count` golden insights of `topic` (all of them when fewer).
std::vector<GoldenInsight> golden_of_topic(const std::string& topic, size_t count = SIZE_MAX);

}  // namespace nebula::sinks::testing
