// What every history sink checks and counts when it stores a batch: each
// insight must have a finite timestamp and be a JSON document (checked before
// anything is written, so a bad one fails the batch whole and the host offers
// the insights one by one), and the nodes and chains it is about are indexed.
#pragma once

#include <cstddef>
#include <string>

#include <nebula/plugin.hpp>

#include "insight_subjects.hpp"

namespace nebula::sinks {

struct WriteOutcome {
  size_t stored = 0;
  size_t already_stored = 0;     // redelivered: kept once
  size_t subjects_left_out = 0;  // node/chain ids over the per-insight limits
};

// "insight 3 of the batch (topic 'patterns' from 'p')", for error messages.
std::string describe_insight(const Insight& in, size_t index);

// The insight's subjects; throws Error(NEBULA_INVALID) naming it when its
// timestamp is not finite or its text is not a JSON document.
InsightSubjects checked_subjects(const Insight& in, size_t index, const SubjectLimits& limits);

}  // namespace nebula::sinks
