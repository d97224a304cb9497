#include "config/id_syntax.hpp"

#include <regex>
#include <string>

namespace nebula::host {

bool is_valid_component_id(std::string_view id) {
  static const std::regex pattern("[A-Za-z_][A-Za-z0-9_-]*");
  return std::regex_match(std::string(id), pattern);
}

bool is_valid_plugin_id(std::string_view id) {
  static const std::regex pattern("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+");
  return std::regex_match(std::string(id), pattern);
}

}  // namespace nebula::host
