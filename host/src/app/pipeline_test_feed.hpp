// The transport `nebula-pool test` puts in place of every transport of the
// pipeline (same id, so the wiring is the real one) and beside each
// processor a test feeds directly. It listens to nothing: the test runner
// hands payloads to the host through it, and the host decodes, checks and
// queues them exactly as it does a real transport's.
#pragma once

#include <cstdint>
#include <string>

#include "nebula/nebula_plugin.h"

namespace nebula::host {

inline constexpr const char* kFeedPluginId = "nebula.test.feed";

// Static storage; add it to the registry with add_builtin().
const nebula_plugin_descriptor* feed_plugin();

// The component config that names the feed instance `component_id`.
std::string feed_config(const std::string& component_id);

struct FeedVerdict {
  nebula_status status = NEBULA_IO;
  uint32_t accepted = 0;
  uint32_t rejected = 0;
  uint32_t retry_after_ms = 0;
  std::string body;  // the host's answer, as a sender would read it
};

// Submits through the feed instance created for `component_id`; status
// NEBULA_NOT_FOUND when there is none.
FeedVerdict feed_submit(const std::string& component_id, const char* format, const std::string& payload);

}  // namespace nebula::host
