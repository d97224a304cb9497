// Client side of the file transport (used by the node library): appends a
// data_batch document's records as JSONL lines to a local spool file that a
// pool's file transport tails. The whole batch is one write(2) with O_APPEND
// under an exclusive flock, so concurrent writers never interleave lines and
// a reader never sees half a batch end in a complete-looking line.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include <nebula/plugin.hpp>

#include "file_config.hpp"

namespace nebula::transport::file {

// "file:///abs/path.jsonl" -> "/abs/path.jsonl"; throws nebula::Error(NEBULA_INVALID).
std::string parse_file_endpoint(std::string_view url);

class SpoolWriter {
 public:
  SpoolWriter(std::string endpoint, const nlohmann::json& config);

  // OK once the lines are in the file (fdatasync'ed with `fsync`). Local I/O
  // trouble is RETRY: the node keeps its buffer rather than losing data.
  Delivery deliver(std::string_view batch_json);

 private:
  std::string path_;
  ClientConfig config_;
};

}  // namespace nebula::transport::file
