// A part of an insight's simdjson tape copied into a nlohmann value, for a
// reader that keeps logic written against nlohmann but only needs part of a
// large insight as a DOM: copying from the tape skips nlohmann's lexer (the
// Decision Optimizer's reading of insights took half the instructions,
// callgrind on its replay, #15).
#pragma once

#include <simdjson.h>

#include <initializer_list>
#include <string_view>

#include <nlohmann/json.hpp>

namespace nebula::insights {

// The same value nlohmann::json::parse gives for that part's text, except
// that a non-negative integer is a signed one (nlohmann compares, converts
// and dumps both alike); as there, the last of a duplicated key wins.
nlohmann::json to_nlohmann(const simdjson::dom::element& e);

// Whether to_nlohmann(e) would equal `value` exactly: the same types (an
// integer is not 1.0), the same bits, the same members. A reader that keeps
// what it copied last time checks this to keep it instead of copying again.
// An object whose keys are not in ascending order (as the producers write
// them), or repeat, counts as different: it is copied anew.
bool same_as_nlohmann(const simdjson::dom::element& e, const nlohmann::json& value);

// An object copied without its members named in `skipped`, for a reader
// that walks those straight from the tape (a large list, say).
nlohmann::json to_nlohmann_without(const simdjson::dom::object& object,
                                   std::initializer_list<std::string_view> skipped);

}  // namespace nebula::insights
