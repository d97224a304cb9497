#include "batch_lines.hpp"

#include <nlohmann/json.hpp>

#include <nebula/host.hpp>

#include "batch_records.hpp"

namespace nebula::transport::tcp {

BatchLines batch_to_lines(std::string_view batch_json) {
  BatchLines out;
  const nlohmann::json node =
      for_each_batch_record<nlohmann::json>(batch_json, [&](const nlohmann::json& record, size_t i) {
        // The server would read such a line as a control line (a commit or auth
        // inside the batch); caught by fuzz/targets/tcp_framing.cpp.
        if (record.contains("nebula"))
          throw Error(NEBULA_INVALID, "data_batch[" + std::to_string(i) +
                                          "] has the key \"nebula\", which is reserved for control lines");
        append_ndjson_line(out.text, record);
        ++out.count;
      });
  if (node.is_string()) out.node_id = node.get<std::string>();
  return out;
}

}  // namespace nebula::transport::tcp
