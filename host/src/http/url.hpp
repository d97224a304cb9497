// Request-target decoding: split path from query, percent-decode both.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nebula::http::detail {

struct TargetParts {
  std::string_view path;   // raw, still percent-encoded
  std::string_view query;  // raw, without the '?'
};

// Splits "/a/b?x=1" into "/a/b" and "x=1".
TargetParts split_target(std::string_view target);

// Decodes %XX escapes (and '+' as space when asked, as query strings do).
// nullopt when an escape is truncated or not hexadecimal.
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space);

// "a=1&b=&c" -> {a:1, b:"", c:""}; the first occurrence of a repeated key wins.
std::optional<std::map<std::string, std::string>> parse_query(std::string_view query);

// "/a/b%20c/" -> {"a", "b c", ""}; decoded per segment so an encoded '/' stays
// inside its segment. nullopt on a bad escape or a path not starting with '/'.
std::optional<std::vector<std::string>> decode_path_segments(std::string_view raw_path);

}  // namespace nebula::http::detail
