#include "ingest/field_reader.hpp"

#include "ingest/node_identity.hpp"

#include <cmath>
#include <cstdio>
#include <limits>

namespace nebula::host {
namespace {

constexpr const char* kNotInteger = "must be a non-negative integer";

// 2^63: the first double that no longer fits an int64.
constexpr double kInt64Bound = 9223372036854775808.0;

// UTF-8 code points, so the limit means characters, not bytes.
size_t char_count(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

}  // namespace

void FieldReader::fail(std::string_view field, std::string reason) {
  failed_ = true;
  auto& out = ctx_.out;
  if (out.errors.size() < ctx_.limits.max_errors)
    out.errors.push_back(RecordError{index_, std::string(field), std::move(reason)});
  else
    ++out.errors_omitted;
}

std::optional<double> FieldReader::number(std::string_view field, JsonValue v) {
  double d = 0;
  if (v.get_double().get(d)) {  // integers convert; anything else is refused
    fail(field, "must be a number");
    return std::nullopt;
  }
  // The parsers refuse NaN/Infinity literals, but a value can still come
  // from elsewhere (or overflow); keep the check next to its meaning.
  if (!std::isfinite(d)) {
    fail(field, "must be a finite number");
    return std::nullopt;
  }
  return d;
}

std::optional<int64_t> FieldReader::count(std::string_view field, JsonValue v) {
  // simdjson reads integers up to 2^63-1 as int64 and only larger ones as uint64.
  switch (v.type()) {
    case simdjson::dom::element_type::INT64:
      if (const int64_t i = v.get_int64().value_unsafe(); i >= 0) return i;
      break;
    case simdjson::dom::element_type::UINT64:
      break;
    case simdjson::dom::element_type::DOUBLE: {
      // Senders in dynamic languages often write 5.0 for 5; accept exact integers.
      const double d = v.get_double().value_unsafe();
      if (std::isfinite(d) && d >= 0 && d < kInt64Bound && std::trunc(d) == d) return static_cast<int64_t>(d);
      break;
    }
    default:
      fail(field, "must be a number");
      return std::nullopt;
  }
  fail(field, kNotInteger);
  return std::nullopt;
}

std::optional<double> FieldReader::amount(std::string_view field, JsonValue v) {
  auto d = number(field, v);
  if (d && *d < 0) {
    fail(field, "must be non-negative");
    return std::nullopt;
  }
  return d;
}

std::optional<double> FieldReader::fraction(std::string_view field, JsonValue v) {
  auto d = number(field, v);
  if (d && !(*d >= 0 && *d <= 1)) {
    fail(field, "must be between 0 and 1");
    return std::nullopt;
  }
  return d;
}

std::optional<double> FieldReader::timestamp(std::string_view field, JsonValue v) {
  auto d = number(field, v);
  if (!d) return d;
  if (*d < 0) {
    fail(field, "must be non-negative");
    return std::nullopt;
  }
  // A clock far ahead would poison windows and retention; a day is generous.
  if (*d > ctx_.now + ctx_.limits.max_future_s) {
    fail(field, "must not be more than " + std::to_string(static_cast<int64_t>(ctx_.limits.max_future_s)) +
                    " s in the future");
    return std::nullopt;
  }
  return d;
}

bool FieldReader::text(std::string_view field, JsonValue v, std::string& out) {
  std::string_view s;
  if (v.get_string().get(s)) {
    fail(field, "must be a string");
    return false;
  }
  if (char_count(s) > ctx_.limits.max_string) {
    fail(field, "must be at most " + std::to_string(ctx_.limits.max_string) + " characters");
    return false;
  }
  out.assign(s);
  return true;
}

bool FieldReader::node_id(std::string_view field, JsonValue v, std::string& out) {
  std::string_view s;
  if (v.get_string().get(s)) {
    fail(field, "must be a string");
    return false;
  }
  if (s.empty()) {
    fail(field, "must not be empty");
    return false;
  }
  for (char c : s) {
    if (!node_id_char(c)) {
      // node_id ends up in file names, metric labels and log lines.
      fail(field, "must contain only the characters [A-Za-z0-9._:-]");
      return false;
    }
  }
  return text(field, v, out);
}

namespace {

// Shortest readable form: "100", "3600000", "1e+30".
std::string short_number(double v, int digits) {
  char buf[40];
  const int n = std::snprintf(buf, sizeof buf, "%.*g", digits, v);
  return std::string(buf, static_cast<size_t>(n));
}

// "100 %", "3600000 ms", "9007199254740992": the ceiling as a sender reads it.
std::string ceiling_text(const wire::MetricField& f) {
  std::string text = short_number(f.max, 16);
  if (!f.unit.empty()) text.append(" ").append(f.unit);
  return text;
}

}  // namespace

void FieldReader::metric(const wire::MetricField& f, std::string_view field, JsonValue v, Record& r) {
  std::optional<double> value;  // for the ceiling check, whatever the kind
  switch (f.kind) {
    case wire::Kind::Count:
      r.*f.count = count(field, v);
      if (r.*f.count) value = static_cast<double>(*(r.*f.count));
      break;
    case wire::Kind::Amount: value = r.*f.amount = amount(field, v); break;
    case wire::Kind::Fraction: r.*f.amount = fraction(field, v); return;  // [0, 1] checked there
  }
  if (value && *value > f.max) {
    fail(field, "must be at most " + ceiling_text(f) + ", got " + short_number(*value, 6));
    if (f.count) (r.*f.count).reset();
    else (r.*f.amount).reset();
  }
}

}  // namespace nebula::host
