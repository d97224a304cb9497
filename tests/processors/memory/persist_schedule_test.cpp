// Saving on a timer instead of per batch (issue 15) changes when the state
// reaches the disk, never what the processor computes: on the contract fleet
// with real pattern insights, a plugin that saves after every batch and one
// on the default timer emit the same insights and leave the same state file.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "contract_fleet.hpp"

namespace {

std::string read_text(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(MemoryPersistSchedule, TimerSavesLeaveInsightsAndFinalStateUnchanged) {
  PluginRun every_batch("libnebula_processor_memory.so", "nebula.processor.memory", R"({"persist_interval_s": 0})");
  // An hour, so even a slow (sanitized, valgrind) run never reaches it before flush.
  PluginRun on_timer("libnebula_processor_memory.so", "nebula.processor.memory", R"({"persist_interval_s": 3600})");
  const auto saved_each = contract_fleet::run_with_patterns(every_batch);
  const auto saved_late = contract_fleet::run_with_patterns(on_timer);

  EXPECT_EQ(every_batch.host().counter("state_saves"), static_cast<double>(contract_fleet::kSteps));
  EXPECT_EQ(on_timer.host().counter("state_saves"), 0.0);
  ASSERT_EQ(saved_each.size(), saved_late.size());
  for (size_t i = 0; i < saved_each.size(); ++i) ASSERT_EQ(saved_each[i].json, saved_late[i].json) << "insight " << i;

  every_batch.flush();
  on_timer.flush();  // the host's shutdown path: the timer's pending state is saved
  EXPECT_EQ(on_timer.host().counter("state_saves"), 1.0);
  const auto file = [](PluginRun& run) { return read_text(run.host().state_dir() / "memory_state.json"); };
  EXPECT_FALSE(file(on_timer).empty());
  EXPECT_EQ(file(every_batch), file(on_timer));
}

}  // namespace
