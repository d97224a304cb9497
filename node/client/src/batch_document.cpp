#include "batch_document.hpp"

#include <nlohmann/json.hpp>

namespace nebula::node {

BatchDocument::BatchDocument(std::string_view node_id_json, std::size_t reserve_bytes) {
  text_.reserve(reserve_bytes + node_id_json.size() + 96);
  text_ += "{\"node_id\":";
  text_ += node_id_json;
  text_ += ",\"data_batch\":[";
}

void BatchDocument::add(std::string_view record_json) {
  if (count_++) text_ += ',';
  text_ += record_json;
}

std::string BatchDocument::finish(double submission_time) {
  text_ += "],\"batch_size\":";
  text_ += std::to_string(count_);
  text_ += ",\"submission_time\":";
  text_ += nlohmann::json(submission_time).dump();  // shortest round-trip form
  text_ += '}';
  return std::move(text_);
}

}  // namespace nebula::node
