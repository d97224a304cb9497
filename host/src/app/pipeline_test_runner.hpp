// Runs one pipeline unit test on the real plugins: the pipeline's own
// components and wiring, in a fresh temporary state directory, with feeds in
// place of the transports (nothing listens on the network) and without the
// sinks (nothing leaves the machine). Every payload is processed as one
// cycle of its own, so what a test sees does not depend on thread timing.
#pragma once

#include <string>
#include <vector>

#include "app/pipeline_test_spec.hpp"
#include "runtime/plugin_registry.hpp"

namespace nebula::host {

struct FailedCondition {
  const Condition* condition = nullptr;
  size_t index = 0;  // in the test's expect list
  std::string seen;
};

struct TestOutcome {
  bool passed = false;
  // The feed went wrong (rejected records, a pipeline that did not start),
  // each as file:line:col: message.
  std::vector<std::string> problems;
  std::vector<FailedCondition> failed;
  size_t payloads = 0;
  size_t records = 0;
  size_t insights = 0;
  double seconds = 0;
};

// `registry` must hold the feed plugin (feed_plugin()).
TestOutcome run_pipeline_test(const PipelineTest& test, const PipelineConfig& pipeline, const PluginRegistry& registry);

}  // namespace nebula::host
