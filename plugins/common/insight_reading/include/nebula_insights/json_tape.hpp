// An insight's text parsed by simdjson into its tape, for readers that walk
// it straight into their own structs (training examples, active anomalies)
// instead of building a nlohmann DOM: the DOM cost ~14 % of the pool's CPU
// for the agents' ~64 KB insights (perf, #15). Shared by every plugin kind
// that reads other plugins' insights (agents and processors).
#pragma once

#include <simdjson.h>

#include <optional>
#include <string_view>

namespace nebula::insights {

// The document's root, valid until this thread's next call (one parser per
// thread); nullopt: `json` is not JSON.
//
// Accepts what nlohmann does (the host passes on what nlohmann accepts): the
// little simdjson refuses that nlohmann reads (integers beyond 64 bits, a
// byte-order mark, bytes after a NUL) is written back to plain JSON by
// nlohmann and parsed again; only nesting past simdjson's 1024 levels stays
// refused.
std::optional<simdjson::dom::element> parse_json_tape(std::string_view json);

// `object`'s member `key` as a nlohmann DOM of the same text holds it: the
// last of a duplicated key. nullopt when absent or `object` is no object.
std::optional<simdjson::dom::element> member_of(const simdjson::dom::element& object, std::string_view key);

// Named copies for range-for, after the caller checked the type (iterating
// a temporary result's value would dangle).
inline simdjson::dom::array array_of(const simdjson::dom::element& e) {
  const simdjson::dom::array a = e.get_array().value_unsafe();
  return a;
}
inline simdjson::dom::object object_of(const simdjson::dom::element& e) {
  const simdjson::dom::object o = e.get_object().value_unsafe();
  return o;
}
inline bool is_string(const simdjson::dom::element& e) { return e.type() == simdjson::dom::element_type::STRING; }
inline std::string_view string_view_of(const simdjson::dom::element& e) { return e.get_string().value_unsafe(); }

}  // namespace nebula::insights
