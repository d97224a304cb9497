#include "config/parse_context.hpp"

#include "config/config_issue.hpp"

namespace nebula::host {

SourceMark ParseContext::mark(const YAML::Mark& at) const { return source_mark(file_, at); }

void ParseContext::report(const YAML::Mark& at, std::string message) {
  report(mark(at), std::move(message));
}

void ParseContext::report(const SourceMark& at, std::string message) {
  issues_.push_back(ConfigIssue{at, std::move(message)});
}

}  // namespace nebula::host
