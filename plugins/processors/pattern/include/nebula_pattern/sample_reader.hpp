// Turns a columnar record batch into Samples (columns read by name; a
// missing column or null cell becomes NaN / empty).
#pragma once

#include <vector>

#include "nebula/arrow_batch.hpp"
#include "nebula_pattern/sample.hpp"

namespace nebula::pattern {

std::vector<Sample> read_samples(const RecordBatchView& batch);

}  // namespace nebula::pattern
