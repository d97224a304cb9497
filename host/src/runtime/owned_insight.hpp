// An insight the host owns (copied once from the emitting plugin) and shares
// between the insight store, downstream processors and agent queues.
#pragma once

#include <memory>
#include <string>

#include "nebula/nebula_plugin.h"

namespace nebula::host {

struct OwnedInsight {
  std::string topic;
  std::string source;
  std::string json;
  double timestamp = 0;
  uint64_t sequence = 0;  // host-wide emission order

  nebula_insight view() const {
    return nebula_insight{sizeof(nebula_insight), topic.c_str(), source.c_str(), json.c_str(), json.size(), timestamp};
  }
};

using InsightPtr = std::shared_ptr<const OwnedInsight>;

}  // namespace nebula::host
