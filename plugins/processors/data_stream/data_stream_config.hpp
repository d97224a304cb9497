// Settings of the data stream processor, read from its pipeline config.
#pragma once

#include <cstddef>

#include <nlohmann/json.hpp>

#include <nebula/host.hpp>

namespace nebula::data_stream {

enum class LatePolicy {
  Drop,   // late samples are only counted
  Tally,  // late samples are counted and summarised apart ("late_tally")
};

struct Config {
  double window_s = 60;            // tumbling window length, event time
  double allowed_lateness_s = 10;  // watermark = newest timestamp of the chain - this
  LatePolicy late_policy = LatePolicy::Drop;
  size_t dedup_window = 1024;      // recent seqs remembered per node
  size_t max_nodes = 10000;        // nodes with dedup state; also distinct nodes counted per window
  size_t max_chains = 64;
};

// Reads a config object. With `errors`, every problem is added with its JSON
// pointer and unknown keys are rejected; without, bad values keep defaults.
Config parse_config(const nlohmann::json& cfg, ConfigErrors* errors = nullptr);

}  // namespace nebula::data_stream
