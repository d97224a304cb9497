// One line of the spill file: "<node_id as JSON string>\t<seq>\t<record JSON>\n".
// The small header lets read-back and start-up recover node and seq without
// parsing the record; compact JSON never holds a raw tab or newline.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace nebula::node {

struct SpillLine {
  std::string node_id;
  std::int64_t seq = 0;
  std::string record;  // compact JSON object
};

// Appends the encoded line, newline included, to `out`.
void encode_spill_line(std::string& out, std::string_view node_id, std::int64_t seq, std::string_view record);

// Decodes a line without its newline; nullopt when damaged.
std::optional<SpillLine> decode_spill_line(std::string_view line);

}  // namespace nebula::node
