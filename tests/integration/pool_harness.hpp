// Starts the real nebula-pool process on a YAML file with ephemeral ports
// and finds its admin port in <state_dir>/endpoints.json.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "nebula_test/child_process.hpp"
#include "nebula_test/temp_dir.hpp"
#include "nebula_test/wait.hpp"

class PoolProcess {
 public:
  // `real_plugins`: the build's own plugins are found too (after the test ones).
  explicit PoolProcess(const std::string& components, const std::string& settings = "", bool real_plugins = false) {
    const std::string paths = std::string("[\"" NEBULA_BINARY_DIR "/test-plugins\"") +
                              (real_plugins ? ", \"" NEBULA_PLUGIN_DIR "\"]" : "]");
    yaml_ = dir.write("pipeline.yaml", "plugins:\n  paths: " + paths + "\n"
                                       "state_dir: state\nadmin: {port: 0}\nshutdown: {timeout_ms: 10000}\n" +
                                           settings + "\ncomponents:\n" + components);
  }

  // Starts and waits until the endpoints file appears; false if the process died.
  bool start() {
    std::filesystem::remove(dir / "state/endpoints.json");
    process = std::make_unique<nebula_test::ChildProcess>(
        std::vector<std::string>{NEBULA_POOL_BIN, "run", "-c", yaml_.string()}, (dir / "pool.log").string());
    bool up = nebula_test::wait_until(
        [&] { return std::filesystem::exists(dir / "state/endpoints.json") || !process->running(); });
    if (!up || !process->running()) return false;
    endpoints = nlohmann::json::parse(nebula_test::read_file(dir / "state/endpoints.json"));
    admin_port = endpoints["admin"]["port"].get<unsigned short>();
    return true;
  }

  std::string log() const { return nebula_test::read_file(dir / "pool.log"); }
  const std::filesystem::path& yaml() const { return yaml_; }

  nebula_test::TempDir dir{"pool-process"};
  std::unique_ptr<nebula_test::ChildProcess> process;
  nlohmann::json endpoints;
  unsigned short admin_port = 0;

 private:
  std::filesystem::path yaml_;
};
