#include "batch_lines.hpp"

#include <nlohmann/json.hpp>

#include "batch_records.hpp"

namespace nebula::transport::file {

BatchLines batch_to_lines(std::string_view batch_json) {
  BatchLines out;
  for_each_batch_record<nlohmann::json>(batch_json, [&](const nlohmann::json& record, size_t) {
    append_ndjson_line(out.text, record);
    ++out.count;
  });
  return out;
}

}  // namespace nebula::transport::file
