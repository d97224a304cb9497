// "Did you mean ...?" hints for misspelt keys and component ids.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nebula::host {

// Levenshtein distance (insert, delete, substitute).
size_t edit_distance(std::string_view a, std::string_view b);

// The first candidate closest to `word` if it is within `max_distance`.
std::optional<std::string> closest_match(std::string_view word, const std::vector<std::string>& candidates,
                                         size_t max_distance = 2);

// "; did you mean 'x'?" or "" when nothing is close enough.
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace nebula::host
