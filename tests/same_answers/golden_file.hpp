// The golden insights: gzip-compressed JSONL, one insight a line,
//   {"processor": <component id>, "topic": ..., "index": <n-th of that pair>, "insight": {...}}
// in emission order.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "pipeline_replay.hpp"

namespace same_answers {

struct GoldenInsight {
  std::string processor;
  std::string topic;
  nlohmann::json insight;
};

// The insight as compared and stored: parsed (nlohmann keeps object keys
// sorted, so the text is canonical). Nothing is dropped: no processor puts
// the wall clock or a process identity into an insight (generated_at and
// incident ids come from record timestamps), which running the test twice
// confirms.
nlohmann::json canonical(const EmittedInsight& insight);

// Doubles are stored to 12 significant digits: the rounding (5e-13 relative)
// is far inside the 1e-9 tolerance, and the digits past it are the least
// compressible part of the file.
void write_golden(const std::string& path, const std::vector<EmittedInsight>& insights);

// Throws std::runtime_error when the file is missing or damaged.
std::vector<GoldenInsight> read_golden(const std::string& path);

}  // namespace same_answers
