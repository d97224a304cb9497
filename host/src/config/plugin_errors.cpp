// split_plugin_errors: the text a plugin's validate_config() writes back.
#include "config/pipeline_config.hpp"

namespace nebula::host {

std::vector<std::pair<std::string, std::string>> split_plugin_errors(const std::string& text) {
  std::vector<std::pair<std::string, std::string>> errors;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    start = end + 1;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;

    // "<pointer>: <message>"; ConfigErrors writes ": msg" for the whole object.
    const size_t separator = line.find(": ");
    if (line.front() == ':') {
      errors.emplace_back("", line.substr(line.size() > 1 && line[1] == ' ' ? 2 : 1));
    } else if (line.front() == '/' && separator != std::string::npos) {
      errors.emplace_back(line.substr(0, separator), line.substr(separator + 2));
    } else {
      errors.emplace_back("", line);  // free text: about the whole config
    }
  }
  return errors;
}

}  // namespace nebula::host
