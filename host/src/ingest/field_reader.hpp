// Validation of single JSON values, shared by every wire shape so the same
// mistake gets the same reason. A FieldReader covers one entry (or the
// payload envelope, index -1) and records each problem into the result.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <simdjson.h>

#include "ingest/decode_result.hpp"
#include "ingest/wire_fields.hpp"

namespace nebula::host {

using JsonValue = simdjson::dom::element;  // a view into the parsed payload

// State shared by all entries of one decode call.
struct DecodeContext {
  const DecodeLimits& limits;
  double now;  // seconds since the epoch, read once per payload
  DecodeResult& out;
  const Sender* sender = nullptr;  // who sent the payload; nullptr when unknown
  // Set when an entry took its node id from `sender`: its bytes alone then
  // no longer decode to the same record (DecodeResult::sources).
  bool used_sender = false;
};

class FieldReader {
 public:
  FieldReader(DecodeContext& ctx, int index) : ctx_(ctx), index_(index) {}

  int index() const { return index_; }
  bool failed() const { return failed_; }
  const DecodeLimits& limits() const { return ctx_.limits; }

  // Records one problem (kept up to DecodeLimits::max_errors, counted beyond).
  void fail(std::string_view field, std::string reason);

  // Each reader takes a non-null value. On a bad one it records an error and
  // returns nullopt / false, so the caller can carry on and find the next.
  std::optional<int64_t> count(std::string_view field, JsonValue v);
  std::optional<double> amount(std::string_view field, JsonValue v);
  std::optional<double> fraction(std::string_view field, JsonValue v);
  std::optional<double> timestamp(std::string_view field, JsonValue v);
  bool text(std::string_view field, JsonValue v, std::string& out);
  bool node_id(std::string_view field, JsonValue v, std::string& out);

  // Reads `v` into the Record member `f` names; `field` is the name to report.
  void metric(const wire::MetricField& f, std::string_view field, JsonValue v, Record& r);

 private:
  std::optional<double> number(std::string_view field, JsonValue v);

  DecodeContext& ctx_;
  int index_;
  bool failed_ = false;
};

}  // namespace nebula::host
