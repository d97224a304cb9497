// Writes pipeline YAML to a real file in a fresh temporary directory and
// parses it with a fake environment, so tests see exactly what users see.
#pragma once

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <unistd.h>

#include "config/pipeline_config.hpp"

namespace nebula::host::testing {

inline EnvLookup fake_env(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

inline std::vector<std::string> formatted(const std::vector<ConfigIssue>& issues) {
  std::vector<std::string> out;
  for (const auto& issue : issues) out.push_back(issue.format());
  return out;
}

class PipelineYamlTest : public ::testing::Test {
 protected:
  void SetUp() override {
    static std::atomic<int> counter{0};
    dir_ = std::filesystem::temp_directory_path() /
           ("nebula-config-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::create_directories(dir_ / "conf");
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // The pipeline file: <tmp>/conf/pipeline.yaml.
  std::string file() const { return (dir_ / "conf" / "pipeline.yaml").string(); }

  // One leading newline is dropped so R"(...)" literals can start on their
  // own line while line numbers stay those of the text as seen.
  ParseResult parse(std::string yaml, std::map<std::string, std::string> env = {}) {
    if (!yaml.empty() && yaml.front() == '\n') yaml.erase(0, 1);
    std::ofstream(file(), std::ios::binary) << yaml;
    return parse_pipeline(file(), fake_env(std::move(env)));
  }

  std::vector<std::string> issues_of(std::string yaml, std::map<std::string, std::string> env = {}) {
    return formatted(parse(std::move(yaml), std::move(env)).issues);
  }

  // "<file>:line:col: message"
  std::string at(int line, int column, const std::string& message) const {
    return file() + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + message;
  }

  std::filesystem::path dir_;
};

}  // namespace nebula::host::testing
