#include "ethstats_message.hpp"

#include <charconv>
#include <cmath>
#include <stdexcept>

namespace nebula::transport::ethstats {
namespace {

using json = nlohmann::json;
constexpr double kExactInteger = 9007199254740992.0;  // 2^53: beyond it a count is not exact in double
constexpr std::string_view kPrimusPing = "primus::ping::";

// A field that is there but unusable: the frame is malformed.
struct BadField : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Counts and heights arrive as JSON numbers from geth (big.Int marshals as a
// number) and as decimal or 0x-hex strings from other clients.
std::optional<double> read_number(const json& v) {
  if (v.is_number()) return v.get<double>();
  if (!v.is_string()) return std::nullopt;
  const auto& s = v.get_ref<const std::string&>();
  uint64_t out = 0;
  const bool hex = s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
  const char* first = s.data() + (hex ? 2 : 0);
  const char* last = s.data() + s.size();
  auto [end, ec] = std::from_chars(first, last, out, hex ? 16 : 10);
  if (ec != std::errc() || end != last || first == last) return std::nullopt;
  return static_cast<double>(out);
}

double amount(const json& obj, const char* key, const std::string& where) {
  auto v = obj.contains(key) ? read_number(obj[key]) : std::nullopt;
  if (!v || !std::isfinite(*v) || *v < 0) throw BadField(where + "." + key + " must be a non-negative number");
  return *v;
}

int64_t count(const json& obj, const char* key, const std::string& where) {
  const double v = amount(obj, key, where);
  if (v > kExactInteger || v != std::floor(v)) throw BadField(where + "." + key + " must be a whole number up to 2^53");
  return static_cast<int64_t>(v);
}

std::optional<double> optional_amount(const json& obj, const char* key, const std::string& where) {
  if (!obj.contains(key) || obj[key].is_null()) return std::nullopt;
  return amount(obj, key, where);
}

std::optional<bool> optional_flag(const json& obj, const char* key, const std::string& where) {
  if (!obj.contains(key) || obj[key].is_null()) return std::nullopt;
  if (!obj[key].is_boolean()) throw BadField(where + "." + key + " must be true or false");
  return obj[key].get<bool>();
}

std::string optional_text(const json& obj, const char* key, const std::string& where) {
  if (!obj.contains(key) || obj[key].is_null()) return {};
  if (obj[key].is_number()) return obj[key].dump();  // a network id sent as a number
  if (!obj[key].is_string()) throw BadField(where + "." + key + " must be a string");
  return obj[key].get<std::string>();
}

const json& object_at(const json& obj, const char* key, const std::string& where) {
  if (!obj.contains(key) || !obj[key].is_object()) throw BadField(where + "." + key + " must be an object");
  return obj[key];
}

Block read_block(const json& b, const std::string& where) {
  if (!b.is_object()) throw BadField(where + " must be an object");
  Block out;
  out.number = count(b, "number", where);
  out.timestamp = count(b, "timestamp", where);
  out.hash = optional_text(b, "hash", where);
  out.parent_hash = optional_text(b, "parentHash", where);
  if (b.contains("transactions") && !b["transactions"].is_null()) {
    if (!b["transactions"].is_array()) throw BadField(where + ".transactions must be an array");
    out.transactions = static_cast<int64_t>(b["transactions"].size());
  }
  out.gas_used = optional_amount(b, "gasUsed", where);
  out.gas_limit = optional_amount(b, "gasLimit", where);
  return out;
}

NodeStats read_stats(const json& s) {
  const std::string where = "stats";
  NodeStats out;
  out.active = optional_flag(s, "active", where);
  out.syncing = optional_flag(s, "syncing", where);
  out.mining = optional_flag(s, "mining", where);
  out.hashrate = optional_amount(s, "hashrate", where);
  out.gas_price = optional_amount(s, "gasPrice", where);
  if (s.contains("peers") && !s["peers"].is_null()) out.peers = count(s, "peers", where);
  return out;
}

std::optional<Emit> emit_named(std::string_view name) {
  if (name == "hello") return Emit::hello;
  if (name == "block") return Emit::block;
  if (name == "pending") return Emit::pending;
  if (name == "stats") return Emit::stats;
  if (name == "node-ping") return Emit::node_ping;
  if (name == "latency") return Emit::latency;
  if (name == "history") return Emit::history;
  return std::nullopt;
}

// The body of one known emit; throws BadField.
void read_body(Message& m, const json& body) {
  m.id = optional_text(body, "id", to_string(m.emit));
  switch (m.emit) {
    case Emit::hello: {
      m.hello.id = m.id;
      m.hello.secret = optional_text(body, "secret", "hello");
      if (body.contains("info") && body["info"].is_object()) {
        const auto& info = body["info"];
        m.hello.net = optional_text(info, "net", "hello.info");
        m.hello.protocol = optional_text(info, "protocol", "hello.info");
        m.hello.client = optional_text(info, "node", "hello.info");
      }
      break;
    }
    case Emit::block: m.block = read_block(object_at(body, "block", "block"), "block.block"); break;
    case Emit::pending: m.pending = count(object_at(body, "stats", "pending"), "pending", "pending.stats"); break;
    case Emit::stats: m.stats = read_stats(object_at(body, "stats", "stats")); break;
    case Emit::node_ping: m.client_time = body.contains("clientTime") ? body["clientTime"] : json(); break;
    case Emit::latency: m.latency_ms = amount(body, "latency", "latency"); break;
    case Emit::history: {
      if (!body.contains("history") || !(body["history"].is_array() || body["history"].is_null()))
        throw BadField("history.history must be an array of blocks");
      size_t i = 0;
      for (const auto& b : body["history"].is_null() ? json::array() : body["history"])
        m.history.push_back(read_block(b, "history.history[" + std::to_string(i++) + "]"));
      break;
    }
    case Emit::primus_ping: break;
  }
}

Decoded malformed(std::string reason) { return {std::nullopt, Problem::malformed, std::move(reason)}; }

}  // namespace

const char* to_string(Emit e) {
  switch (e) {
    case Emit::hello: return "hello";
    case Emit::block: return "block";
    case Emit::pending: return "pending";
    case Emit::stats: return "stats";
    case Emit::node_ping: return "node-ping";
    case Emit::latency: return "latency";
    case Emit::history: return "history";
    case Emit::primus_ping: return "primus::ping";
  }
  return "?";
}

Decoded decode_message(std::string_view text) {
  auto doc = json::parse(text, nullptr, false);
  if (doc.is_discarded()) return malformed("not valid JSON");
  if (doc.is_string()) {
    const auto& s = doc.get_ref<const std::string&>();
    if (!s.starts_with(kPrimusPing)) return malformed("a string frame must be a primus::ping");
    Message m;
    m.emit = Emit::primus_ping;
    m.primus = s.substr(kPrimusPing.size());
    return {std::move(m), Problem::none, {}};
  }
  if (!doc.is_object() || !doc.contains("emit") || !doc["emit"].is_array() || doc["emit"].empty() ||
      !doc["emit"][0].is_string())
    return malformed(R"(expected {"emit":["<name>",{...}]})");
  const auto& emit = doc["emit"];
  const auto name = emit[0].get<std::string>();
  auto kind = emit_named(name);
  if (!kind) {
    std::string shown = name.size() > 40 ? name.substr(0, 40) + "..." : name;
    return {std::nullopt, Problem::unknown_emit, "unknown emit '" + shown + "'"};
  }
  if (emit.size() != 2 || !emit[1].is_object()) return malformed("emit '" + name + "' needs one object argument");
  Message m;
  m.emit = *kind;
  try {
    read_body(m, emit[1]);
  } catch (const BadField& e) {
    return malformed(e.what());
  }
  return {std::move(m), Problem::none, {}};
}

std::string ready_frame() { return R"({"emit":["ready"]})"; }

std::string pong_frame(const nlohmann::json& client_time, int64_t server_ms) {
  return json{{"emit", json::array({"node-pong", {{"clientTime", client_time}, {"serverTime", server_ms}}})}}.dump(
      -1, ' ', false, json::error_handler_t::replace);
}

std::string primus_pong_frame(const std::string& stamp) {
  return json("primus::pong::" + stamp).dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace nebula::transport::ethstats
