// The identity a record gets when its payload names no node: the document's
// UniversalDataCollector sends {"node_data":{…}} without any node id, and
// "nodes don't need special configuration". The rule, in order
// (docs/transports.md, "Node identity"):
//   1. node_id in the payload (node_data.node_id, the top level, the batch);
//   2. the sender's node as its transport knows it: the authenticated node,
//      the X-Nebula-Node header or node_id query parameter, the TCP hello;
//   3. derived: "anon:<chain_id>:<node_type>:<peer host>" — stable across
//      reconnects (the peer's port is left out), distinct per chain and type.
// Nodes of one chain and type behind one address share a derived identity;
// the runtime watches for that (IdentityWatch) and says so.
#pragma once

#include <string>
#include <string_view>

#include "ingest/decode_result.hpp"

namespace nebula::host {

// The characters a node id may hold: [A-Za-z0-9._:-]. Node ids end up in
// file names, metric labels and log lines.
bool node_id_char(char c);

// The host part of a transport's peer: "127.0.0.1:5555" -> "127.0.0.1",
// "[::1]:5555" -> "::1", "file:/spool/a.jsonl" -> "file:/spool/a.jsonl".
std::string_view peer_host(std::string_view peer);

// Rule 3; "" when the peer is unknown (then a node_id is required).
// Characters a node id may not hold become '_', and the result is cut to
// `max_chars` (DecodeLimits::max_string).
std::string derived_node_id(const Sender& sender, std::string_view chain_id, std::string_view node_type,
                            size_t max_chars);

}  // namespace nebula::host
