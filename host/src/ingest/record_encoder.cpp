#include "ingest/record_encoder.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <stdexcept>
#include <vector>

#include <nebula/double_text.hpp>
#include <nlohmann/json.hpp>

#include "ingest/wire_fields.hpp"

// The text is written directly, byte for byte what building a nlohmann::json
// document and dump()ing it gave (sorted keys, json::dump's number layout; a
// double's digits are the shortest that read back exactly, double_text.hpp),
// without a map node per key: the write-ahead log encodes every record it
// takes. Only extra_json still goes through nlohmann::json (parse, and dump
// of each extra value), as do strings that need escaping or UTF-8 checks.
namespace nebula::host {
namespace {

using json = nlohmann::json;

void put_string(std::string& out, std::string_view s) {
  bool plain = true;
  for (unsigned char c : s) {
    if (c < 0x20 || c >= 0x80) {  // escapes or UTF-8 checks: let nlohmann write it
      // replace: a hand-built Record may hold invalid UTF-8; never throw from here.
      out += json(s).dump(-1, ' ', false, json::error_handler_t::replace);
      return;
    }
    plain = plain && c != '"' && c != '\\';
  }
  out += '"';
  if (plain) {
    out += s;
  } else {
    for (char c : s) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
  }
  out += '"';
}

void put_number(std::string& out, int64_t v) {
  char buf[24];
  out.append(buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
}

void put_number(std::string& out, double v) {
  if (!std::isfinite(v)) {  // as json::dump writes it
    out += "null";
    return;
  }
  char buf[kDoubleTextMax];
  out.append(buf, write_double_text(buf, v));  // json::dump's layout, shortest digits
}

// Canonical names: plain ASCII, nothing to escape.
void put_key(std::string& out, std::string_view key) {
  out += '"';
  out += key;
  out += "\":";
}

void put_extra_key(std::string& out, std::string_view key) {
  put_string(out, key);
  out += ':';
}

void put_value(std::string& out, const json& v) { out += v.dump(-1, ' ', false, json::error_handler_t::replace); }

// The metric fields of one group, sorted by leaf name.
std::vector<const wire::MetricField*> sorted_group(wire::Group g) {
  std::vector<const wire::MetricField*> out;
  for (const auto& f : wire::metric_fields)
    if (f.group == g) out.push_back(&f);
  std::sort(out.begin(), out.end(), [](auto* a, auto* b) { return a->leaf() < b->leaf(); });
  return out;
}

const std::vector<const wire::MetricField*>& group_fields(wire::Group g) {
  static const std::array<std::vector<const wire::MetricField*>, 4> groups = {
      {{}, sorted_group(wire::Group::Blockchain), sorted_group(wire::Group::Network),
       sorted_group(wire::Group::Performance)}};
  return groups[static_cast<size_t>(g)];
}

bool present(const Record& r, const wire::MetricField& f) {
  return f.count ? (r.*f.count).has_value() : (r.*f.amount).has_value();
}

// One group object: the record's metrics, plus the extra leaves of
// `extra` (an object or null) that are not metrics; keys sorted.
void put_group(std::string& out, const Record& r, wire::Group g, const json* extra) {
  const auto& fields = group_fields(g);
  auto f = fields.begin();
  const json::object_t empty;
  const auto& leaves = extra ? extra->get_ref<const json::object_t&>() : empty;
  auto e = leaves.begin();
  char sep = '{';
  for (;;) {
    while (f != fields.end() && !present(r, **f)) ++f;
    const bool has_f = f != fields.end(), has_e = e != leaves.end();
    if (!has_f && !has_e) break;
    out += sep;
    sep = ',';
    if (has_f && (!has_e || (*f)->leaf() <= e->first)) {
      if (has_e && (*f)->leaf() == e->first) ++e;  // the metric wins a clash
      put_key(out, (*f)->leaf());
      if ((*f)->count) put_number(out, *(r.*(*f)->count));
      else put_number(out, *(r.*(*f)->amount));
      ++f;
    } else {
      put_extra_key(out, e->first);
      put_value(out, e->second);
      ++e;
    }
  }
  out += sep == '{' ? "{}" : "}";
}

bool has_group(const Record& r, wire::Group g) {
  const auto& fields = group_fields(g);
  return std::any_of(fields.begin(), fields.end(), [&](auto* f) { return present(r, *f); });
}

}  // namespace

std::string encode_record_json(const Record& r) {
  json extra;
  if (!r.extra_json.empty()) {
    extra = json::parse(r.extra_json, nullptr, /*allow_exceptions=*/false);
    if (!extra.is_object()) throw std::invalid_argument("Record::extra_json is not a JSON object");
  }

  // The canonical keys present, in sorted order.
  enum class Field { Group, ChainId, NodeId, NodeType, Seq, Timestamp };
  struct Key {
    std::string_view name;
    Field field;
    wire::Group group = wire::Group::None;  // for Field::Group: merged with an extra object of its name
  };
  std::array<Key, 8> keys;
  size_t n = 0;
  auto group = [&](wire::Group g) {
    bool merge = false;
    if (extra.is_object())
      if (auto it = extra.find(std::string(wire::group_name(g))); it != extra.end()) merge = it->is_object();
    if (has_group(r, g) || merge) keys[n++] = {wire::group_name(g), Field::Group, g};
  };
  group(wire::Group::Blockchain);
  keys[n++] = {fields::chain_id, Field::ChainId};
  group(wire::Group::Network);
  keys[n++] = {fields::node_id, Field::NodeId};
  keys[n++] = {fields::node_type, Field::NodeType};
  group(wire::Group::Performance);
  if (r.seq) keys[n++] = {fields::seq, Field::Seq};
  keys[n++] = {fields::timestamp, Field::Timestamp};

  // Merge with the extra keys (sorted too); a canonical key wins a clash,
  // except that a group object takes the extra group's non-metric leaves.
  std::string out;
  out.reserve(512);
  const json::object_t none;
  const auto& extras = extra.is_object() ? extra.get_ref<const json::object_t&>() : none;
  auto k = keys.begin();
  const auto k_end = keys.begin() + static_cast<std::ptrdiff_t>(n);
  auto e = extras.begin();
  char sep = '{';
  while (k != k_end || e != extras.end()) {
    out += sep;
    sep = ',';
    if (k != k_end && (e == extras.end() || k->name <= e->first)) {
      const json* same = e != extras.end() && k->name == e->first ? &(e++)->second : nullptr;
      put_key(out, k->name);
      switch (k->field) {
        case Field::Group: put_group(out, r, k->group, same && same->is_object() ? same : nullptr); break;
        case Field::ChainId: put_string(out, r.chain_id); break;
        case Field::NodeId: put_string(out, r.node_id); break;
        case Field::NodeType: put_string(out, r.node_type); break;
        case Field::Seq: put_number(out, *r.seq); break;
        case Field::Timestamp: put_number(out, r.timestamp); break;
      }
      ++k;
    } else {
      put_extra_key(out, e->first);
      put_value(out, e->second);
      ++e;
    }
  }
  out += '}';
  return out;
}

}  // namespace nebula::host
