// What every phase-1 parsing step shares: the file name for marks, the
// environment for ${VAR} expansion, and the list problems are appended to.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "config/pipeline_config.hpp"

namespace nebula::host {

class ParseContext {
 public:
  ParseContext(std::string file, EnvLookup env, std::vector<ConfigIssue>& issues)
      : file_(std::move(file)), env_(std::move(env)), issues_(issues) {}

  const std::string& file() const { return file_; }
  const EnvLookup& env() const { return env_; }
  SourceMark mark(const YAML::Mark& at) const;

  void report(const YAML::Mark& at, std::string message);
  void report(const SourceMark& at, std::string message);
  std::vector<ConfigIssue>& issues() { return issues_; }

 private:
  std::string file_;
  EnvLookup env_;
  std::vector<ConfigIssue>& issues_;
};

}  // namespace nebula::host
