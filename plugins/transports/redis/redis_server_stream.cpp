#include "redis_server_stream.hpp"

#include "stream_entry.hpp"

namespace nebula::redis {

const Reply& checked(const Reply& reply, const std::string& what) {
  if (reply.is_error()) throw ReplyError(what + ": " + reply.error());
  return reply;
}

StreamEntry parse_entry(const std::string& key, const Reply& item) {
  StreamEntry e;
  e.key = key;
  e.id = std::string(item.at(0).str());
  const Reply fields = item.at(1);
  for (size_t i = 0; i + 1 < fields.size(); i += 2) {
    const auto name = fields.at(i).str();
    if (name == entry::format_field) e.format = std::string(fields.at(i + 1).str());
    if (name == entry::data_field) {
      e.data = std::string(fields.at(i + 1).str());
      e.has_data = true;
    }
  }
  return e;
}

void ensure_groups(Connection& conn, const ServerConfig& cfg) {
  std::vector<std::vector<std::string>> commands;
  for (size_t i = 0; i < cfg.shards; ++i)
    commands.push_back({"XGROUP", "CREATE", cfg.shard_key(i), cfg.group, "0", "MKSTREAM"});
  auto replies = conn.pipeline(commands);
  for (size_t i = 0; i < replies.size(); ++i)
    if (replies[i].is_error() && replies[i].error().rfind("BUSYGROUP", 0) != 0)
      throw ReplyError("XGROUP CREATE " + commands[i][2] + ": " + replies[i].error());
}

std::vector<StreamEntry> read_new(Connection& conn, const ServerConfig& cfg, const std::vector<std::string>& keys) {
  std::vector<std::string> args{"XREADGROUP", "GROUP", cfg.group, cfg.consumer};
  args.insert(args.end(), {"COUNT", std::to_string(cfg.read_count), "BLOCK", std::to_string(cfg.block_ms), "STREAMS"});
  args.insert(args.end(), keys.begin(), keys.end());
  args.insert(args.end(), keys.size(), ">");
  const Reply reply = conn.command(args);
  checked(reply, "XREADGROUP");
  std::vector<StreamEntry> out;
  for (size_t s = 0; s < reply.size(); ++s) {  // nil (timeout) has size 0
    const Reply stream = reply.at(s);
    const std::string key(stream.at(0).str());
    const Reply entries = stream.at(1);
    for (size_t i = 0; i < entries.size(); ++i) out.push_back(parse_entry(key, entries.at(i)));
  }
  return out;
}

}  // namespace nebula::redis
