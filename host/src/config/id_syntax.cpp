#include "config/id_syntax.hpp"

namespace nebula::host {
namespace {

// Hand-written rather than std::regex: libstdc++'s regex matcher recurses
// once per character and overflowed the stack on a 5,585-character plugin id
// (found by fuzz/targets/pipeline_yaml.cpp; scalar_type.cpp had the same).
bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }

// [a-z][a-z0-9_]*
bool is_plugin_id_segment(std::string_view s) {
  if (s.empty() || !is_lower(s[0])) return false;
  for (char c : s)
    if (!is_lower(c) && !is_digit(c) && c != '_') return false;
  return true;
}

}  // namespace

bool is_valid_component_id(std::string_view id) {
  if (id.empty() || !(is_lower(id[0]) || is_upper(id[0]) || id[0] == '_')) return false;
  for (char c : id)
    if (!is_lower(c) && !is_upper(c) && !is_digit(c) && c != '_' && c != '-') return false;
  return true;
}

bool is_valid_plugin_id(std::string_view id) {
  size_t segments = 0;
  while (true) {
    const size_t dot = id.find('.');
    if (!is_plugin_id_segment(id.substr(0, dot))) return false;
    ++segments;
    if (dot == std::string_view::npos) break;
    id.remove_prefix(dot + 1);
  }
  return segments >= 2;
}

}  // namespace nebula::host
