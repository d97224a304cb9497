// One node metrics sample as the detectors see it: the record row every
// per-node processor reads (nebula_processors/record_sample.hpp), NaN for a
// field the node did not report (basic nodes report only height and peers).
#pragma once

#include <cmath>

#include <nebula_processors/record_sample.hpp>

namespace nebula::pattern {

using processors::kMissing;
using processors::Sample;

inline bool present(double v) { return !std::isnan(v); }

}  // namespace nebula::pattern
