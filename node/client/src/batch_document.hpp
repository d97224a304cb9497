// The data_batch wire document, assembled from already-serialised records so
// nothing is parsed again: {"node_id":…, "data_batch":[…], "batch_size":N,
// "submission_time":…}.
#pragma once

#include <string>
#include <string_view>

namespace nebula::node {

class BatchDocument {
 public:
  // node_id_json: the node id already encoded as a JSON string.
  explicit BatchDocument(std::string_view node_id_json, std::size_t reserve_bytes = 0);
  void add(std::string_view record_json);
  // Closes the document; the builder is spent afterwards.
  std::string finish(double submission_time);
  std::size_t size() const { return count_; }

 private:
  std::string text_;
  std::size_t count_ = 0;
};

}  // namespace nebula::node
