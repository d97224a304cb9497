// With per-node tokens a sender proves who it is; these checks make sure it
// submits only its own records. The transports do not decode records (the
// host does), but this one fact must be checked before the host sees them:
// every `node_id` the host's decoder would read — the batch's, each
// data_batch entry's, node_data's and the top-level one of a contribution,
// or each NDJSON line's — must be the authenticated node. A SAX scan sees
// every occurrence, so a repeated key cannot hide a foreign id.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace nebula::transport {

// Why a payload may not go to the host under `node`'s token.
struct OwnerProblem {
  bool unreadable = false;  // not JSON: cannot be checked, so not passed on under a token
  std::string reason;       // for the sender
};

// One JSON document (HTTP body). nullopt when every node_id string is `node`.
std::optional<OwnerProblem> foreign_node_in_document(std::string_view json, std::string_view node);

// One record object per line (TCP batch); the reason names the line (1-based).
std::optional<OwnerProblem> foreign_node_in_lines(std::string_view ndjson, std::string_view node);

}  // namespace nebula::transport
