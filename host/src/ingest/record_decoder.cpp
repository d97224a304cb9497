#include "ingest/record_decoder.hpp"

#include <algorithm>
#include <chrono>
#include <optional>

#include <nlohmann/json.hpp>

#include "ingest/entry_decoder.hpp"
#include "ingest/extra_fields.hpp"
#include "ingest/field_reader.hpp"

namespace nebula::host {
namespace {

using json = nlohmann::json;

double clock_now(const DecodeLimits& limits) {
  if (limits.now > 0) return limits.now;
  using namespace std::chrono;
  return duration<double>(system_clock::now().time_since_epoch()).count();
}

// nlohmann quotes the offending input ("last read: '…'") verbatim, which
// may be invalid UTF-8; the reason goes into a JSON answer that must dump.
// Non-ASCII bytes are written as <0xNN>, like nlohmann writes control bytes.
std::string ascii_only(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (c < 0x80) out += static_cast<char>(c);
    else out.append("<0x").append(1, kHex[c >> 4]).append(1, kHex[c & 15]).append(1, '>');
  }
  return out;
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
    return "malformed JSON at byte " + std::to_string(pe->byte) + ": " + ascii_only(what);
  return "malformed JSON: " + ascii_only(what);  // e.g. out_of_range 406, number overflow
}

// One simdjson parser per thread: it keeps its buffers from one payload to
// the next, so parsing allocates nothing in the steady state. A parsed
// document is valid until the next parse on the same thread.
class Parser {
 public:
  static Parser& for_this_thread() {
    thread_local Parser parser;
    return parser;
  }

  // Parses `text` into `doc`; on failure returns the reason for the sender.
  std::optional<std::string> parse(std::string_view text, JsonValue& doc) {
    std::string_view body = text;
    if (body.starts_with(kByteOrderMark)) body.remove_prefix(kByteOrderMark.size());  // json::parse skips it too
    auto error = parser_.parse(body.data(), body.size()).get(doc);
    if (error == simdjson::DEPTH_ERROR) {
      // json::parse has no depth limit, and deep unknown values get their own
      // error (ExtraFields). A document is at most half as deep as it is long.
      error = parser_.allocate(std::max(parser_.capacity(), body.size()), body.size() / 2 + 2);
      if (!error) error = parser_.parse(body.data(), body.size()).get(doc);
    }
    if (!error) return std::nullopt;
    return fallback(text, doc, error);
  }

  // Gives back the memory a very large or deep payload made the parser take.
  void trim() {
    if (parser_.capacity() > kKeepCapacity || parser_.max_depth() > simdjson::DEFAULT_MAX_DEPTH)
      parser_ = simdjson::dom::parser();
  }

 private:
  static constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";
  static constexpr size_t kKeepCapacity = 256 * 1024;

  // simdjson refused the text. json::parse has the message senders have
  // always been given; and the little it accepts that simdjson does not
  // (integers beyond 64 bits, which it reads as doubles) it re-serialises in
  // a form simdjson reads.
  std::optional<std::string> fallback(std::string_view text, JsonValue& doc, simdjson::error_code error) {
    json parsed;
    try {
      parsed = json::parse(text.begin(), text.end());
    } catch (const json::exception& e) {
      return parse_reason(e);
    }
    if (nested_deeper_than(parsed, simdjson::DEFAULT_MAX_DEPTH))  // dump() would recurse that deep
      return "malformed JSON: nested deeper than " + std::to_string(simdjson::DEFAULT_MAX_DEPTH) + " levels";
    fallback_text_ = parsed.dump();
    if (parser_.parse(fallback_text_).get(doc)) return "malformed JSON: " + std::string(simdjson::error_message(error));
    return std::nullopt;
  }

  simdjson::dom::parser parser_;
  std::string fallback_text_;
};

// The payload as a whole is refused: no record of it may be used.
void reject_payload(DecodeResult& out, size_t entries) {
  out.payload_error = true;
  out.records.clear();
  out.sources.clear();
  out.warnings.clear();
  out.rejected = std::max<size_t>(entries, 1);
}

// Entries of a batch array (simdjson's size() saturates at 2^24 - 1).
size_t array_size(simdjson::dom::array items) {
  size_t n = items.size();
  if (n == 0xFFFFFF) {
    n = 0;
    for ([[maybe_unused]] JsonValue item : items) ++n;
  }
  return n;
}

// Checks the batch envelope (on `env`, index -1), then decodes each entry.
// Returns the number of entries the payload holds.
size_t decode_batch(DecodeContext& ctx, FieldReader& env, const ObjectFields& doc, JsonValue batch) {
  DecodeResult& out = ctx.out;
  bool has_node_id = false;
  if (auto v = doc.find("node_id"); v && !v->is_null()) has_node_id = env.node_id("node_id", *v, out.node_id);

  const size_t max = ctx.limits.max_records;
  simdjson::dom::array items;
  const bool is_array = !batch.get_array().get(items);
  const size_t entries = is_array ? array_size(items) : 1;
  if (!is_array) env.fail("data_batch", "must be an array");
  else if (entries == 0) env.fail("data_batch", "must not be empty");
  else if (entries > max)
    env.fail("data_batch", "has " + std::to_string(entries) + " records, more than the limit of " +
                               std::to_string(max));

  if (auto v = doc.find("batch_size"); v && !v->is_null() && is_array) {
    // A mismatch means a truncated or mangled body: trust none of it.
    if (auto n = env.count("batch_size", *v); n && static_cast<size_t>(*n) != entries)
      env.fail("batch_size", "is " + std::to_string(*n) + " but data_batch has " + std::to_string(entries) +
                                 " records");
  }
  if (env.failed()) return entries;

  out.records.reserve(entries);
  const std::string* batch_node_id = has_node_id ? &out.node_id : nullptr;
  int i = 0;
  for (JsonValue item : items) decode_record_entry(ctx, i++, item, batch_node_id);
  return entries;
}

// A line is a record, or a whole single contribution as the document's
// UniversalDataCollector writes it (a spool or stream of them).
void decode_line(DecodeContext& ctx, int line_no, JsonValue doc) {
  simdjson::dom::object obj, node_data;
  if (!doc.get_object().get(obj)) {
    const ObjectFields fields(obj);
    if (auto single = fields.find("node_data"); single && !single->get_object().get(node_data)) {
      decode_contribution(ctx, line_no, fields, node_data);
      return;
    }
  }
  decode_record_entry(ctx, line_no, doc, nullptr);
}

bool blank(std::string_view line) {
  return line.find_first_not_of(" \t\r") == line.npos;
}

// A longer line is logged re-encoded: its own bytes could be mostly padding
// (whitespace, repeated keys) for a record of a few hundred bytes.
constexpr size_t kMaxSourceBytes = 16 * 1024;

// The non-blank lines of `text` with their 0-based line numbers, into
// buffers kept per thread (one memchr pass; no allocation once warm).
struct Lines {
  std::vector<std::string_view> text;
  std::vector<int> number;

  void split(std::string_view all) {
    text.clear();
    number.clear();
    int line_no = 0;
    for (size_t pos = 0; pos < all.size(); ++line_no) {
      size_t end = all.find('\n', pos);
      if (end == all.npos) end = all.size();
      const std::string_view line = all.substr(pos, end - pos);
      pos = end + 1;
      if (blank(line)) continue;
      text.push_back(line);
      number.push_back(line_no);
    }
  }

  // Gives back what a payload far beyond the usual made the buffers take.
  void trim() {
    if (text.capacity() > 16384) *this = Lines();
  }
};

}  // namespace

DecodeResult decode_json_payload(std::string_view body, const DecodeLimits& limits, const Sender* sender) {
  DecodeResult out;
  DecodeContext ctx{limits, clock_now(limits), out, sender};
  FieldReader env(ctx, -1);
  size_t entries = 1;

  Parser& parser = Parser::for_this_thread();
  JsonValue doc;
  simdjson::dom::object obj;
  if (auto error = parser.parse(body, doc)) {
    env.fail("", std::move(*error));
  } else if (doc.get_object().get(obj)) {
    env.fail("", "payload must be a JSON object");
  } else {
    const ObjectFields fields(obj);
    const auto batch = fields.find("data_batch");
    const auto single = fields.find("node_data");
    simdjson::dom::object node_data;
    if (batch && single)
      env.fail("", "payload has both data_batch and node_data; send one shape");
    else if (batch)
      entries = decode_batch(ctx, env, fields, *batch);
    else if (!single)
      env.fail("", "payload must contain data_batch (a batch) or node_data (a single contribution)");
    else if (single->get_object().get(node_data))
      env.fail("node_data", "must be an object");
    else
      decode_contribution(ctx, 0, fields, node_data);
  }
  parser.trim();
  if (env.failed()) reject_payload(out, entries);
  return out;
}

DecodeResult decode_ndjson(std::string_view text, const DecodeLimits& limits, const Sender* sender) {
  DecodeResult out;
  DecodeContext ctx{limits, clock_now(limits), out, sender};
  thread_local Lines lines;
  lines.split(text);
  const size_t entries = lines.text.size();
  struct Trim {
    ~Trim() { lines.trim(); }
  } trim_lines;
  if (entries > limits.max_records) {
    // Refuse the whole payload, as for a batch.
    FieldReader(ctx, -1).fail("", "more than the limit of " + std::to_string(limits.max_records) + " records");
    reject_payload(out, entries);
    return out;
  }
  if (entries == 0) {
    FieldReader(ctx, -1).fail("", "payload holds no records");
    reject_payload(out, 0);
    return out;
  }
  out.records.reserve(entries);
  out.sources.reserve(entries);

  Parser& parser = Parser::for_this_thread();
  JsonValue doc;
  for (size_t i = 0; i < entries; ++i) {
    const std::string_view line = lines.text[i];
    const int line_no = lines.number[i];
    if (auto error = parser.parse(line, doc)) {
      FieldReader(ctx, line_no).fail("", std::move(*error));
      ++out.rejected;
      continue;
    }
    ctx.used_sender = false;
    const size_t before = out.records.size();
    decode_line(ctx, line_no, doc);
    // The line alone decodes to the same record unless the sender gave it
    // its node: decoding depends on nothing else but the limits and the
    // clock, and those only decide whether a record is accepted.
    if (out.records.size() > before)
      out.sources.push_back(ctx.used_sender || line.size() > kMaxSourceBytes ? std::string_view() : line);
  }
  parser.trim();
  return out;
}

}  // namespace nebula::host
