// Replays record batches through the real processor plugins, wired and
// ordered as the host's runtime runs them, and keeps every insight emitted.
#pragma once

#include <string>
#include <vector>

#include <nebula/arrow_batch.hpp>

#include "pipeline_wiring.hpp"

namespace same_answers {

struct EmittedInsight {
  std::string processor;  // component id (the insight's source)
  std::string topic;
  std::string json;
};

// One dispatcher cycle per batch (Runtime::run_cycle): stage by stage, each
// processor takes the batch (if it reads records), then its inbox of
// insights from the stages before, with the emitter's id as the source.
// Then the shutdown flush (Runtime::flush_processors): stage by stage, flush,
// and drain the inboxes.
//
// Insights come back in emission order. One normalisation: the host runs a
// stage's processors in parallel, so when several of them feed one
// downstream inbox (decisions takes patterns, network and block_data) the
// interleaving of their insights there is a race; here it is fixed to the
// declaration order of the wiring.
std::vector<EmittedInsight> replay(const std::vector<WiredProcessor>& wiring,
                                   const std::vector<nebula::OwnedBatch>& batches);

}  // namespace same_answers
