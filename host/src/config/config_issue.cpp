#include "config/config_issue.hpp"

namespace nebula::host {

SourceMark source_mark(const std::string& file, const YAML::Mark& mark) {
  SourceMark out{file, 0, 0};
  if (mark.line >= 0) out.line = mark.line + 1;
  if (mark.column >= 0) out.column = mark.column + 1;
  return out;
}

std::string ConfigIssue::format() const {
  std::string out = mark.file;
  if (mark.line > 0) {
    out += ':' + std::to_string(mark.line);
    if (mark.column > 0) out += ':' + std::to_string(mark.column);
  }
  return out + ": " + message;
}

}  // namespace nebula::host
