#include "ingest/entry_decoder.hpp"

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "ingest/economics_group.hpp"
#include "ingest/extra_fields.hpp"
#include "ingest/node_identity.hpp"

namespace nebula::host {
namespace {

// What one entry has produced so far.
struct Entry {
  explicit Entry(const DecodeLimits& limits) : extra(limits) {}

  Record record;
  ExtraFields extra;
  uint32_t seen = 0;  // bit per wire::metric_fields: catches a field given nested AND flat
  int metrics_found = 0;  // non-null known metrics: a record with none is "empty"
  std::vector<std::string_view> unknown_groups;  // object-valued unknown keys, named in the warning
  bool has_timestamp = false;
  bool has_node_id = false;  // present (valid or not): no "is required" on top of its error
  bool node_id_ok = false;
};

void read_metric(FieldReader& rd, Entry& e, const wire::MetricField& f, JsonValue v) {
  const uint32_t bit = 1u << (&f - wire::metric_fields.data());
  if (e.seen & bit) {
    rd.fail(f.dotted, "is given more than once (nested and as a dotted key, or under two group names)");
    return;
  }
  e.seen |= bit;
  if (v.is_null()) return;
  ++e.metrics_found;
  rd.metric(f, f.dotted, v, e.record);
}

void read_node_id(FieldReader& rd, Entry& e, std::string_view field, JsonValue v) {
  if (v.is_null()) return;
  e.has_node_id = true;
  e.node_id_ok = rd.node_id(field, v, e.record.node_id);
}

// The non-metric canonical keys. False when `key` is not one of them.
bool read_identity(FieldReader& rd, Entry& e, std::string_view key, JsonValue v) {
  Record& r = e.record;
  if (key == fields::timestamp) {
    if (v.is_null()) return true;
    e.has_timestamp = true;
    if (auto t = rd.timestamp(key, v)) r.timestamp = *t;
  } else if (key == fields::node_id) {
    read_node_id(rd, e, key, v);
  } else if (key == fields::node_type) {
    if (!v.is_null()) rd.text(key, v, r.node_type);
  } else if (key == fields::chain_id) {
    if (!v.is_null()) rd.text(key, v, r.chain_id);
  } else if (key == fields::seq) {
    if (!v.is_null()) r.seq = rd.count(key, v);
  } else {
    return false;
  }
  return true;
}

void read_group(FieldReader& rd, Entry& e, wire::Group group, std::string_view key, JsonValue v) {
  if (v.is_null()) return;
  if (!v.is_object()) {
    rd.fail(key, "must be an object");
    return;
  }
  // Unknown leaves are kept under the short group name whichever name the
  // sender used, so a record has one canonical shape.
  for (const auto& [leaf, value] : ObjectFields(v.get_object().value_unsafe())) {
    if (const auto* f = wire::find_metric(group, leaf)) read_metric(rd, e, *f, value);
    else e.extra.add(wire::group_name(group), leaf, value);
  }
}

// Any key of the canonical record shape: identity, group object, dotted
// metric. False when `key` is none of them (an extra).
bool read_record_key(FieldReader& rd, Entry& e, std::string_view key, JsonValue v) {
  if (read_identity(rd, e, key, v)) return true;
  if (key == kEconomicsGroup) {
    e.metrics_found += read_economics(rd, e.extra, key, v);
    return true;
  }
  if (auto group = wire::group_of(key); group != wire::Group::None) {
    read_group(rd, e, group, key, v);
    return true;
  }
  if (const auto* f = wire::find_metric(key)) {
    read_metric(rd, e, *f, v);
    return true;
  }
  return false;
}

// Keeps an unknown key, remembering it by name when it looks like a group.
void add_extra(Entry& e, std::string_view key, JsonValue v) {
  if (v.is_object()) e.unknown_groups.push_back(key);
  e.extra.add(key, v);
}

// "no known metric found; unknown groups: a, b" — what a sender needs to fix its shape.
std::string empty_reason(const Entry& e) {
  std::string reason = "no known metric found";
  if (e.unknown_groups.empty()) return reason + " (see docs/transports.md for the field names)";
  reason += "; unknown groups: ";
  for (size_t i = 0; i < e.unknown_groups.size(); ++i) reason.append(i ? ", " : "").append(e.unknown_groups[i]);
  return reason;
}

// A record without a single known metric decodes to all-null columns: a
// sender that got the shape wrong must hear so (a warning, or under
// ingest.strict an error), never a plain "accepted".
void check_not_empty(DecodeContext& ctx, FieldReader& rd, const Entry& e) {
  if (e.metrics_found > 0) return;
  ++ctx.out.empty_records;
  std::string reason = empty_reason(e);
  if (ctx.out.first_empty_reason.empty()) ctx.out.first_empty_reason = reason;
  if (ctx.limits.reject_empty) {
    rd.fail("", std::move(reason) + " (ingest.strict)");
  } else if (ctx.out.warnings.size() < ctx.limits.max_errors) {
    ctx.out.warnings.push_back(RecordWarning{rd.index(), std::move(reason)});
  }
}

// A record whose payload names no node takes the sender's (node_identity.hpp).
bool take_sender_identity(DecodeContext& ctx, Record& r) {
  if (!ctx.sender || ctx.sender->node_id.empty()) return false;
  r.node_id = ctx.sender->node_id;
  ctx.out.identity = IdentitySource::Sender;
  ctx.used_sender = true;
  return true;
}

// A record that names no type is "unknown"; no chain, its type's.
void fill_type_and_chain(Record& r) {
  if (r.node_type.empty()) r.node_type = "unknown";
  if (r.chain_id.empty()) r.chain_id = r.node_type;
}

// Required fields, defaults, extras; then the verdict for the entry.
bool finish(DecodeContext& ctx, FieldReader& rd, Entry& e, const std::string* batch_node_id) {
  Record& r = e.record;
  if (!e.has_timestamp) rd.fail(fields::timestamp, "is required");
  if (!e.has_node_id) {
    if (batch_node_id) r.node_id = *batch_node_id;
    else if (!take_sender_identity(ctx, r)) rd.fail(fields::node_id, "is required");
  } else if (batch_node_id && e.node_id_ok && r.node_id != *batch_node_id) {
    // One batch speaks for one node; a stray id is more likely a bug than intent.
    rd.fail(fields::node_id, "does not match the batch's node_id");
  }
  fill_type_and_chain(r);
  e.extra.finish(rd, r.extra_json);
  check_not_empty(ctx, rd, e);

  if (rd.failed()) {
    ++ctx.out.rejected;
    return false;
  }
  ctx.out.records.push_back(std::move(r));
  return true;
}

// Single-contribution key names and the canonical fields they fill.
struct Alias {
  std::string_view key;
  std::string_view dotted;
};
constexpr Alias kContributionAliases[] = {
    {"blocks_processed", fields::blocks_processed},
    {"transactions_seen", fields::transaction_count},
    {"network_latency", fields::latency},
    {"peer_count", fields::peer_count},
};

const wire::MetricField* contribution_metric(std::string_view key) {
  for (const auto& a : kContributionAliases)
    if (a.key == key) return wire::find_metric(a.dotted);
  return nullptr;
}

// Rules 2 and 3 of node_identity.hpp for a contribution that names no node.
void derive_identity(DecodeContext& ctx, int index, Entry& e) {
  Record& r = e.record;
  if (!take_sender_identity(ctx, r) && ctx.sender) {
    fill_type_and_chain(r);  // the identity is derived from what the record will say
    r.node_id = derived_node_id(*ctx.sender, r.chain_id, r.node_type, ctx.limits.max_string);
    if (r.node_id.empty()) return;  // no peer either: "node_id is required"
    ctx.out.identity = IdentitySource::Derived;
    ctx.used_sender = true;
    ctx.out.warnings.push_back(RecordWarning{
        index, "no node_id: using " + r.node_id +
               ", derived from the sender's address; nodes of one chain and type behind one address share it, "
               "so give each a node_data.node_id or an X-Nebula-Node header"});
  }
  e.has_node_id = e.node_id_ok = !r.node_id.empty();
}

}  // namespace

bool decode_record_entry(DecodeContext& ctx, int index, JsonValue entry, const std::string* batch_node_id) {
  FieldReader rd(ctx, index);
  if (!entry.is_object()) {
    rd.fail("", "must be an object");
    ++ctx.out.rejected;
    return false;
  }
  Entry e(ctx.limits);
  for (const auto& [key, value] : ObjectFields(entry.get_object().value_unsafe()))
    if (!read_record_key(rd, e, key, value)) add_extra(e, key, value);
  return finish(ctx, rd, e, batch_node_id);
}

bool decode_contribution(DecodeContext& ctx, int index, const ObjectFields& doc, simdjson::dom::object node_data) {
  FieldReader rd(ctx, index);
  Entry e(ctx.limits);
  std::optional<JsonValue> top_node_id;
  for (const auto& [key, value] : doc) {
    if (key == "node_data") {
      continue;
    } else if (key == "data_type") {
      std::string_view type;
      if (!value.is_null() && (value.get_string().get(type) || type != "node_contribution"))
        rd.fail(key, "must be \"node_contribution\"");
    } else if (key == fields::node_id) {
      top_node_id = value;  // node_data's node_id wins; read this one after it
    } else if (!read_record_key(rd, e, key, value)) {
      // Record-shape keys must be fields: as extras the canonical encoding
      // would drop them or read them back as fields.
      add_extra(e, key, value);  // node_data extras, added later, win a clash
    }
  }

  std::string field;  // "node_data.<key>": report names as the sender wrote them
  for (const auto& [key, value] : ObjectFields(node_data)) {
    field.assign("node_data.").append(key);
    if (key == fields::node_id) {
      read_node_id(rd, e, field, value);
    } else if (key == fields::node_type) {
      if (!value.is_null()) rd.text(field, value, e.record.node_type);
    } else if (key == fields::chain_id) {
      if (!value.is_null()) rd.text(field, value, e.record.chain_id);
    } else if (const auto* f = contribution_metric(key)) {
      if (!value.is_null()) {
        ++e.metrics_found;
        rd.metric(*f, field, value, e.record);
      }
    } else if (!read_record_key(rd, e, key, value)) {  // identity here wins over the top level's
      add_extra(e, key, value);  // transaction_analysis, ai_metrics: kept, typed, for processors
    }
  }

  if (top_node_id && !top_node_id->is_null()) {
    std::string_view id;
    if (!e.has_node_id) {
      read_node_id(rd, e, fields::node_id, *top_node_id);
    } else if (top_node_id->get_string().get(id)) {
      rd.fail(fields::node_id, "must be a string");
    } else if (e.node_id_ok && id != e.record.node_id) {
      rd.fail(fields::node_id, "does not match node_data.node_id");
    }
  }
  if (!e.has_node_id) derive_identity(ctx, index, e);
  if (e.node_id_ok) ctx.out.node_id = e.record.node_id;
  return finish(ctx, rd, e, nullptr);
}

}  // namespace nebula::host
