// Same answers after the hot-path work of issue 15: the real pattern plugin on
// the contract fleet (480 batches, every incident kind, a scripted partition)
// emits, byte for byte, the insights the code before it emitted. The golden
// file holds one FNV-1a digest per insight, written by the old plugin:
//
//   NEBULA_WRITE_GOLDEN=1 build/bin/test_processor_pattern --gtest_filter='PatternGolden.*'
//
// Regenerate it only for a deliberate change of output, and say so in the commit.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "contract_fleet.hpp"

namespace {

const std::string kGolden = std::string(NEBULA_SOURCE_DIR) + "/tests/processors/pattern/golden/fleet_insights.fnv";

std::string fnv1a64(const std::string& text) {
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : text) h = (h ^ c) * 1099511628211ull;
  char out[17];
  std::snprintf(out, sizeof out, "%016llx", static_cast<unsigned long long>(h));
  return out;
}

std::vector<std::string> digests(const PluginRun::Insights& insights) {
  std::vector<std::string> out;
  for (const auto& in : insights) out.push_back(in.topic + " " + fnv1a64(in.json));
  return out;
}

TEST(PatternGolden, FleetInsightsEqualThoseOfThePreviousCode) {
  PluginRun patterns("libnebula_processor_pattern.so", "nebula.processor.pattern");
  const auto out = contract_fleet::run(patterns);
  const auto now = digests(out);
  if (std::getenv("NEBULA_WRITE_GOLDEN")) {
    std::ofstream f(kGolden);
    for (const auto& d : now) f << d << '\n';
    GTEST_SKIP() << "wrote " << kGolden;
  }
  std::ifstream f(kGolden);
  ASSERT_TRUE(f) << "missing " << kGolden;
  std::vector<std::string> golden;
  for (std::string line; std::getline(f, line);) golden.push_back(line);
  ASSERT_EQ(now.size(), golden.size()) << "number of insights";
  for (size_t i = 0; i < now.size(); ++i)
    ASSERT_EQ(now[i], golden[i]) << "insight " << i << " differs from the golden run:\n" << out[i].json;
}

}  // namespace
