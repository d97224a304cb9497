#include "config/json_pointer_mark.hpp"

#include <charconv>
#include <iterator>
#include <string>
#include <vector>

namespace nebula::host {
namespace {

// "/a~1b/0" → {"a/b", "0"}; "" → {}.
std::vector<std::string> pointer_tokens(std::string_view pointer) {
  std::vector<std::string> tokens;
  if (pointer.empty() || pointer.front() != '/') return tokens;
  pointer.remove_prefix(1);
  while (true) {
    const size_t slash = pointer.find('/');
    std::string_view raw = pointer.substr(0, slash);
    std::string token;
    for (size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] == '~' && i + 1 < raw.size() && (raw[i + 1] == '0' || raw[i + 1] == '1')) {
        token += raw[i + 1] == '0' ? '~' : '/';
        ++i;
      } else {
        token += raw[i];
      }
    }
    tokens.push_back(std::move(token));
    if (slash == std::string_view::npos) break;
    pointer.remove_prefix(slash + 1);
  }
  return tokens;
}

std::optional<size_t> sequence_index(const std::string& token, size_t size) {
  if (token.empty() || (token.size() > 1 && token[0] == '0')) return std::nullopt;  // RFC 6901: no leading zeros
  size_t index = 0;
  auto [end, error] = std::from_chars(token.data(), token.data() + token.size(), index);
  if (error != std::errc() || end != token.data() + token.size() || index >= size) return std::nullopt;
  return index;
}

bool usable(const YAML::Mark& mark) { return mark.line >= 0 && mark.column >= 0; }

}  // namespace

std::optional<YAML::Mark> mark_for_pointer(const YAML::Node& root, std::string_view pointer) {
  if (!root.IsDefined() || root.IsNull() || !usable(root.Mark())) return std::nullopt;
  // Node::operator= would rewrite the document (yaml-cpp assigns through
  // references), so the walk only ever reset()s its cursor.
  YAML::Node node;
  node.reset(root);
  YAML::Mark mark = root.Mark();
  for (const std::string& token : pointer_tokens(pointer)) {
    bool found = false;
    if (node.IsMap()) {
      for (const auto& pair : node) {
        if (pair.first.IsScalar() && pair.first.Scalar() == token) {
          mark = pair.first.Mark();
          node.reset(pair.second);
          found = true;
          break;
        }
      }
    } else if (node.IsSequence()) {
      if (auto index = sequence_index(token, node.size())) {
        auto item = node.begin();
        std::advance(item, *index);
        mark = item->Mark();
        node.reset(*item);
        found = true;
      }
    }
    if (!found) break;
  }
  return mark;
}

}  // namespace nebula::host
