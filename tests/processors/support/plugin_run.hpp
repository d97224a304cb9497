// A real plugin library from this build on its own mock host, as the pool
// runs it: feed it records or insights, get back what it emitted for them.
//
//   PluginRun network("libnebula_processor_network_monitor.so", "nebula.processor.network_monitor");
//   auto out = network.feed(sim_batch::make(fleet.step()));   // the `network` insights
//   auto decided = decision.feed(out);                          // insights in, insights out
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include <nebula/testing/mock_host.hpp>

class PluginRun {
 public:
  using Insights = std::vector<nebula::testing::EmittedInsight>;

  PluginRun(const std::string& library, const std::string& id, const std::string& config = "{}")
      : library_(std::string(NEBULA_PLUGIN_DIR) + "/" + library), instance_(host_.create(library_.find(id), config)) {}

  // One cycle of records (the host then ends the cycle).
  Insights feed(const nebula::OwnedBatch& records) {
    check(instance_.feed(records), "process_records");
    check(instance_.end_cycle(), "end_cycle");
    return take();
  }

  // One cycle of insights: each on the topic it was emitted on, in order.
  Insights feed(const Insights& insights) {
    for (const auto& in : insights) check(instance_.feed_insight(in.topic, in.json), "process_insight");
    check(instance_.end_cycle(), "end_cycle");
    return take();
  }

  Insights flush() {
    check(instance_.flush(), "flush");
    return take();
  }

  nebula::testing::MockHost& host() { return host_; }
  nebula::testing::Instance& instance() { return instance_; }

 private:
  void check(nebula_status status, const char* call) {
    if (status != NEBULA_OK) throw std::runtime_error(std::string(call) + " failed: " + instance_.last_error());
  }
  Insights take() {
    Insights out = host_.insights();
    host_.clear_insights();
    return out;
  }

  nebula::testing::PluginLibrary library_;
  nebula::testing::MockHost host_;
  nebula::testing::Instance instance_;  // last: destroyed before its host
};
