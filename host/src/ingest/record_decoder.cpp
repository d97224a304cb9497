#include "ingest/record_decoder.hpp"

#include <algorithm>
#include <chrono>
#include <optional>

#include <nlohmann/json.hpp>

#include "ingest/entry_decoder.hpp"
#include "ingest/field_reader.hpp"

namespace nebula::host {
namespace {

using json = nlohmann::json;

double clock_now(const DecodeLimits& limits) {
  if (limits.now > 0) return limits.now;
  using namespace std::chrono;
  return duration<double>(system_clock::now().time_since_epoch()).count();
}

// nlohmann's message without its "[json.exception…] parse error at line 1,
// column 7: " preamble; the byte offset is what a sender can act on.
std::string parse_reason(const json::exception& e) {
  std::string_view what = e.what();
  if (auto column = what.find("column "); column != what.npos) {
    if (auto colon = what.find(": ", column); colon != what.npos) what.remove_prefix(colon + 2);
  } else if (auto bracket = what.find("] "); bracket != what.npos) {
    what.remove_prefix(bracket + 2);
  }
  if (const auto* pe = dynamic_cast<const json::parse_error*>(&e))
    return "malformed JSON at byte " + std::to_string(pe->byte) + ": " + std::string(what);
  return "malformed JSON: " + std::string(what);  // e.g. out_of_range 406, number overflow
}

std::optional<std::string> parse(std::string_view text, json& doc) {
  try {
    doc = json::parse(text.begin(), text.end());
    return std::nullopt;
  } catch (const json::exception& e) {
    return parse_reason(e);
  }
}

// The payload as a whole is refused: no record of it may be used.
void reject_payload(DecodeResult& out, size_t entries) {
  out.payload_error = true;
  out.records.clear();
  out.rejected = std::max<size_t>(entries, 1);
}

// Checks the batch envelope (on `env`, index -1), then decodes each entry.
// Returns the number of entries the payload holds.
size_t decode_batch(DecodeContext& ctx, FieldReader& env, json::object_t& doc, json& batch) {
  DecodeResult& out = ctx.out;
  bool has_node_id = false;
  if (auto it = doc.find("node_id"); it != doc.end() && !it->second.is_null())
    has_node_id = env.node_id("node_id", it->second, out.node_id);

  const size_t max = ctx.limits.max_records;
  const size_t entries = batch.is_array() ? batch.size() : 1;
  if (!batch.is_array()) env.fail("data_batch", "must be an array");
  else if (entries == 0) env.fail("data_batch", "must not be empty");
  else if (entries > max)
    env.fail("data_batch", "has " + std::to_string(entries) + " records, more than the limit of " +
                               std::to_string(max));

  if (auto it = doc.find("batch_size"); it != doc.end() && !it->second.is_null() && batch.is_array()) {
    // A mismatch means a truncated or mangled body: trust none of it.
    if (auto n = env.count("batch_size", it->second); n && static_cast<size_t>(*n) != entries)
      env.fail("batch_size", "is " + std::to_string(*n) + " but data_batch has " + std::to_string(entries) +
                                 " records");
  }
  if (env.failed()) return entries;

  auto& items = batch.get_ref<json::array_t&>();
  out.records.reserve(items.size());
  const std::string* batch_node_id = has_node_id ? &out.node_id : nullptr;
  for (size_t i = 0; i < items.size(); ++i)
    decode_record_entry(ctx, static_cast<int>(i), items[i], batch_node_id);
  return entries;
}

bool blank(std::string_view line) {
  return line.find_first_not_of(" \t\r") == line.npos;
}

}  // namespace

DecodeResult decode_json_payload(std::string_view body, const DecodeLimits& limits) {
  DecodeResult out;
  DecodeContext ctx{limits, clock_now(limits), out};
  FieldReader env(ctx, -1);
  size_t entries = 1;

  json doc;
  if (auto error = parse(body, doc)) {
    env.fail("", std::move(*error));
  } else if (!doc.is_object()) {
    env.fail("", "payload must be a JSON object");
  } else {
    auto& obj = doc.get_ref<json::object_t&>();
    const auto batch = obj.find("data_batch");
    const auto single = obj.find("node_data");
    if (batch != obj.end() && single != obj.end())
      env.fail("", "payload has both data_batch and node_data; send one shape");
    else if (batch != obj.end())
      entries = decode_batch(ctx, env, obj, batch->second);
    else if (single == obj.end())
      env.fail("", "payload must contain data_batch (a batch) or node_data (a single contribution)");
    else if (!single->second.is_object())
      env.fail("node_data", "must be an object");
    else
      decode_contribution(ctx, doc);
  }
  if (env.failed()) reject_payload(out, entries);
  return out;
}

DecodeResult decode_ndjson(std::string_view text, const DecodeLimits& limits) {
  DecodeResult out;
  DecodeContext ctx{limits, clock_now(limits), out};
  const auto newlines = static_cast<size_t>(std::count(text.begin(), text.end(), '\n'));
  out.records.reserve(std::min(newlines + 1, limits.max_records));

  size_t entries = 0;
  int line_no = 0;
  json doc;
  for (size_t pos = 0; pos < text.size(); ++line_no) {
    size_t end = text.find('\n', pos);
    if (end == text.npos) end = text.size();
    const std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    if (blank(line)) continue;

    if (++entries > limits.max_records) {
      // Refuse the whole payload, as for a batch: earlier verdicts are void.
      out.errors.clear();
      out.errors_omitted = 0;
      FieldReader(ctx, -1).fail("", "more than the limit of " + std::to_string(limits.max_records) + " records");
      reject_payload(out, entries);
      return out;
    }
    if (auto error = parse(line, doc)) {
      FieldReader(ctx, line_no).fail("", std::move(*error));
      ++out.rejected;
      continue;
    }
    decode_record_entry(ctx, line_no, doc, nullptr);
  }
  if (entries == 0) {
    FieldReader(ctx, -1).fail("", "payload holds no records");
    reject_payload(out, 0);
  }
  return out;
}

}  // namespace nebula::host
