// Turns what a node handed to nebula_node_record() into a buffered record:
// checks it is a JSON object and fills node_id, node_type, chain_id and
// timestamp from the config/clock when absent. The seq is assigned later,
// under the buffer's lock, so seqs follow buffer order even when several
// threads record for one node (see with_seq()).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace nebula::node {

struct StampDefaults {
  std::string node_id;
  std::string node_type;
  std::string chain_id;
};

struct PreparedRecord {
  std::string node_id;
  std::optional<std::int64_t> seq;  // the sender's own seq, if it gave one
  std::string json;                 // compact JSON object; has "seq" iff seq is set
};

// Throws std::invalid_argument explaining what is wrong with the record.
PreparedRecord prepare_record(std::string_view record_json, const StampDefaults& defaults, double now_seconds);

// Inserts "seq":N as the first member of a compact JSON object text.
std::string with_seq(std::string_view object_json, std::int64_t seq);

}  // namespace nebula::node
