// A real nebula-pool running the shipped default pipeline (config/pipeline.yaml:
// three transports, every processor, the three agents, the SQLite history) on
// the build's real plugins, plus two sinks of the test's own: a file, and a
// webhook to a port nothing listens on, so a sink fails for real. Its admin
// API is behind a bearer token; a real `nebula-node simulate` feeds it until
// stopped.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "exposition.hpp"
#include "nebula_test/child_process.hpp"
#include "nebula_test/free_port.hpp"
#include "nebula_test/http_client.hpp"
#include "nebula_test/wait.hpp"
#include "pool_harness.hpp"

namespace nebula_deploy_test {

inline const std::string kAdminToken = "deploy-test-token";

class LivePool {
 public:
  LivePool() : pool_("") {
    pool_.dir.write("admin.token", kAdminToken + "\n");
    std::filesystem::create_directories(pool_.dir / "spool");
    pool_.dir.write("pipeline.yaml", pipeline(nebula_test::free_port()));
  }
  LivePool(const LivePool&) = delete;
  LivePool& operator=(const LivePool&) = delete;

  // Starts the pool and the simulated fleet; false (with the log) when the pool did not come up.
  bool start() {
    if (!pool_.start()) return false;
    ingest_port_ = pool_.endpoints["transports"]["http_in"]["port"].get<unsigned short>();
    // A fleet of 24 nodes, 5 simulated minutes per real second: insights,
    // training and incidents within seconds, for as long as the test runs.
    feed_ = std::make_unique<nebula_test::ChildProcess>(
        std::vector<std::string>{NEBULA_NODE_BIN, "simulate", "-N", "24", "--seed", "17", "--speed", "300",
                                 "--duration", "864000", "--stats-every", "0", "-e",
                                 "http://127.0.0.1:" + std::to_string(ingest_port_), "--plugin-dir", NEBULA_PLUGIN_DIR,
                                 "--spill-dir", (pool_.dir / "spill").string()},
        (pool_.dir / "feed.log").string());
    return true;
  }

  unsigned short admin_port() const { return pool_.admin_port; }
  std::string log() const { return pool_.log(); }
  std::string feed_log() const { return nebula_test::read_file(pool_.dir / "feed.log"); }
  const nebula_test::TempDir& dir() const { return pool_.dir; }

  // GET /metrics with the token; the status and the body.
  nebula_test::HttpResult get_metrics(const std::string& token = kAdminToken) const {
    std::map<std::string, std::string> headers;
    if (!token.empty()) headers["Authorization"] = "Bearer " + token;
    return nebula_test::http_request("127.0.0.1", pool_.admin_port, "GET", "/metrics", "", headers);
  }

  // Waits until every agent has trained, every working sink delivered and
  // the webhook sink has failed and dead-lettered: every family the
  // pipeline makes exists with samples. The last scrape, parsed.
  Exposition wait_until_busy(std::chrono::seconds timeout = std::chrono::seconds(120)) const {
    Exposition last;
    nebula_test::wait_until(
        [&] {
          const auto r = get_metrics();
          if (r.status != 200) return false;
          last = parse_exposition(r.body);
          for (const char* agent : {"analyst", "archivist", "resonant"})
            if (last.value("nebula_agent_batches_total", "\"" + std::string(agent) + "\"") < 1) return false;
          return last.value("nebula_sink_delivered_total", "\"history\"") > 0 &&
                 last.value("nebula_sink_delivered_total", "\"archive\"") > 0 &&
                 last.value("nebula_sink_failing", "\"hooks\"") == 1 &&
                 last.value("nebula_dead_letters_total", "\"hooks\"") > 0;
        },
        timeout);
    return last;
  }

 private:
  // The shipped file with what a test must change: paths, ephemeral ports,
  // the token; short batch windows and training at normal priority, so the
  // pipeline is busy within seconds on a loaded machine; the two extra sinks.
  std::string pipeline(unsigned short closed_port) const {
    YAML::Node cfg = YAML::LoadFile(NEBULA_SOURCE_DIR "/config/pipeline.yaml");
    cfg["plugins"]["paths"] = std::vector<std::string>{NEBULA_PLUGIN_DIR};
    cfg["state_dir"] = "state";
    cfg["admin"]["port"] = 0;
    cfg["admin"]["token_file"] = "admin.token";
    cfg["shutdown"]["timeout_ms"] = 2000;
    cfg["pool"]["batch_max_wait_ms"] = 100;
    cfg["training"]["batch_max_wait_ms"] = 200;
    cfg["training"]["priority"] = "normal";
    // The webhook's batches become dead letters after two quick attempts.
    cfg["sinks"] = YAML::Load("{batch_max_wait_ms: 100, retry_initial_ms: 50, retry_max_ms: 100, max_attempts: 2}");
    for (auto component : cfg["components"]) {
      if (component["config"]["port"]) component["config"]["port"] = 0;
      if (component["plugin"].as<std::string>() == "nebula.transport.file")
        component["config"]["paths"] = std::vector<std::string>{(pool_.dir / "spool").string() + "/*.jsonl"};
    }
    YAML::Node archive = YAML::Load("{id: archive, plugin: nebula.sink.file, inputs: [patterns]}");
    archive["config"]["path"] = (pool_.dir / "archive.jsonl").string();
    YAML::Node hooks = YAML::Load("{id: hooks, plugin: nebula.sink.webhook, inputs: [patterns]}");
    hooks["config"]["url"] = "http://127.0.0.1:" + std::to_string(closed_port) + "/hook";
    cfg["components"].push_back(archive);
    cfg["components"].push_back(hooks);
    YAML::Emitter out;
    out << cfg;
    return out.c_str();
  }

  PoolProcess pool_;
  unsigned short ingest_port_ = 0;
  std::unique_ptr<nebula_test::ChildProcess> feed_;  // SIGKILLed on destruction, before the pool
};

}  // namespace nebula_deploy_test
