// Fixture for the file sink tests: the real plugin module on the SDK's mock
// host, a temporary directory, and readers for the JSON lines it wrote.
#pragma once

#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <nebula/testing/mock_host.hpp>

#include "nebula_test/temp_dir.hpp"

namespace nebula::sink_file_test {

namespace fs = std::filesystem;
using nebula::testing::EmittedInsight;

inline const nebula_plugin_descriptor* file_sink() {
  static const nebula::testing::PluginLibrary lib(std::string(NEBULA_PLUGIN_DIR) + "/libnebula_sink_file.so");
  return lib.find("nebula.sink.file");
}

inline std::vector<std::string> lines_of(const fs::path& p) {
  std::istringstream in(nebula_test::read_file(p));
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// An insight whose document carries its number `n` (and `pad` bytes of filler).
inline EmittedInsight numbered(int n, size_t pad = 0) {
  return {"patterns", nlohmann::json{{"n", n}, {"pad", std::string(pad, 'x')}}.dump()};
}

// The `n` of every line of `p`, in file order.
inline std::vector<int> numbers_in(const fs::path& p) {
  std::vector<int> out;
  for (const auto& line : lines_of(p)) out.push_back(nlohmann::json::parse(line)["insight"]["n"].get<int>());
  return out;
}

class FileSinkTest : public ::testing::Test {
 protected:
  nebula::testing::Instance make(const nlohmann::json& cfg) { return host_.create(file_sink(), cfg.dump()); }
  fs::path out() const { return dir_ / "insights.jsonl"; }
  nlohmann::json config() const { return {{"path", out().string()}, {"fsync", true}}; }

  nebula_test::TempDir dir_{"nebula-sink-file"};
  nebula::testing::MockHost host_{dir_ / "state"};
};

}  // namespace nebula::sink_file_test
