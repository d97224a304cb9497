// Finding the YAML node a plugin's JSON-pointer error is about.
#pragma once

#include <optional>
#include <string_view>

#include <yaml-cpp/yaml.h>

namespace nebula::host {

// Walks an RFC 6901 pointer ("/outputs/0/port", ~0 = '~', ~1 = '/') through
// `root` by mapping keys and sequence indexes. Returns the mark of the node
// it designates: for a mapping entry the key's mark (where a reader looks),
// for a sequence item the item's. When the pointer leaves the tree (a missing
// key, say) the deepest node reached is used; std::nullopt when not even
// `root` has a usable mark.
std::optional<YAML::Mark> mark_for_pointer(const YAML::Node& root, std::string_view pointer);

}  // namespace nebula::host
