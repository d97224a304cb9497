#include "ingest/node_identity.hpp"

namespace nebula::host {

bool node_id_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == ':' || c == '-';
}

namespace {

void append_part(std::string& out, std::string_view part) {
  out += ':';
  if (part.empty()) part = "unknown";
  for (char c : part) out += node_id_char(c) ? c : '_';
}

}  // namespace

std::string_view peer_host(std::string_view peer) {
  if (peer.starts_with('[')) {  // [v6]:port
    const auto close = peer.find(']');
    return close == peer.npos ? peer : peer.substr(1, close - 1);
  }
  const auto colon = peer.rfind(':');
  if (colon == peer.npos || peer.find(':') != colon) return peer;  // no port, or a bare v6 address
  const std::string_view port = peer.substr(colon + 1);
  if (port.empty() || port.find_first_not_of("0123456789") != port.npos) return peer;  // "file:/path"
  return peer.substr(0, colon);
}

std::string derived_node_id(const Sender& sender, std::string_view chain_id, std::string_view node_type,
                            size_t max_chars) {
  if (sender.peer.empty()) return {};
  std::string id = "anon";
  append_part(id, chain_id);
  append_part(id, node_type);
  append_part(id, peer_host(sender.peer));
  if (id.size() > max_chars) id.resize(max_chars);
  return id;
}

}  // namespace nebula::host
