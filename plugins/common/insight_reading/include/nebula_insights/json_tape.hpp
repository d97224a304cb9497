// An insight's text parsed by simdjson into its tape, for readers that walk
// it straight into their own structs (training examples, active anomalies)
// instead of building a nlohmann DOM: the DOM cost ~14 % of the pool's CPU
// for the agents' ~64 KB insights (perf, #15). Shared by every plugin kind
// that reads other plugins' insights (agents and processors).
#pragma once

#include <simdjson.h>

#include <algorithm>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

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
// A number, integers included (as nlohmann's is_number), as a double;
// nullopt for any other type. simdjson refuses non-finite numbers at parse
// time, so every number is finite.
inline std::optional<double> number_of(const simdjson::dom::element& e) {
  const auto t = e.type();
  using simdjson::dom::element_type;
  if (t != element_type::INT64 && t != element_type::UINT64 && t != element_type::DOUBLE) return std::nullopt;
  return e.get_double().value_unsafe();
}

// Calls fn(key, value) for each member of `object` in the order a nlohmann
// DOM of the same text iterates them: by key, the last of a duplicated key.
// A reader that must give the DOM's answers walks objects this way; the
// producers write sorted keys, so that is a check and a walk in place.
template <class Fn>
void for_each_member_as_dom(const simdjson::dom::object& object, Fn&& fn) {
  bool sorted = true;
  std::optional<std::string_view> previous;
  for (const auto field : object) {
    if (previous && !(*previous < field.key)) {
      sorted = false;
      break;
    }
    previous = field.key;
  }
  if (sorted) {
    for (const auto field : object) fn(field.key, field.value);
    return;
  }
  std::vector<std::pair<std::string_view, simdjson::dom::element>> members;
  for (const auto field : object) members.emplace_back(field.key, field.value);
  std::stable_sort(members.begin(), members.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (size_t i = 0; i < members.size(); ++i)
    if (i + 1 == members.size() || members[i + 1].first != members[i].first) fn(members[i].first, members[i].second);
}

}  // namespace nebula::insights
