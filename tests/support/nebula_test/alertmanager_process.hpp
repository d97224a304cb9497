// A real Prometheus Alertmanager for a test: its own ephemeral port on
// 127.0.0.1, clustering off, storage and config in a temporary directory,
// one route to a webhook receiver of the test's own. Killed on destruction.
// Used by the alertmanager sink's tests and the end-to-end test (tests/e2e).
//
// A missing binary is an error, not a reason to skip: scripts/install-deps
// installs Debian's prometheus-alertmanager (NEBULA_ALERTMANAGER overrides).
#pragma once

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "nebula_test/child_process.hpp"
#include "nebula_test/free_port.hpp"
#include "nebula_test/http_client.hpp"
#include "nebula_test/temp_dir.hpp"
#include "nebula_test/wait.hpp"

namespace nebula_test {

inline std::string alertmanager_binary() {
  const char* env = std::getenv("NEBULA_ALERTMANAGER");
  return env && *env ? env : "/usr/bin/prometheus-alertmanager";
}

class AlertmanagerProcess {
 public:
  // Routes every alert to `webhook_url` at once (group_wait 0s) and re-checks
  // groups every second, resolved notifications included.
  explicit AlertmanagerProcess(const std::string& webhook_url) {
    binary_ = alertmanager_binary();
    if (::access(binary_.c_str(), X_OK) != 0)
      throw std::runtime_error(binary_ +
                               " not found or not executable: install Debian's prometheus-alertmanager "
                               "(scripts/install-deps does) or set NEBULA_ALERTMANAGER");
    dir_.write("alertmanager.yml", config_text(webhook_url));
    for (int attempt = 0;; ++attempt) {  // the free port may be taken before alertmanager binds it
      port_ = free_port();
      if (launch()) return;
      if (attempt == 4) throw std::runtime_error("alertmanager did not start; log:\n" + log_text());
    }
  }
  AlertmanagerProcess(const AlertmanagerProcess&) = delete;
  AlertmanagerProcess& operator=(const AlertmanagerProcess&) = delete;

  uint16_t port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::string log_text() const { return read_file(dir_ / "alertmanager.log"); }

 private:
  static std::string config_text(const std::string& webhook_url) {
    return "route:\n"
           "  receiver: test\n"
           "  group_by: ['alertname', 'node_id']\n"
           "  group_wait: 0s\n"
           "  group_interval: 1s\n"
           "  repeat_interval: 1h\n"
           "receivers:\n"
           "  - name: test\n"
           "    webhook_configs:\n"
           "      - url: '" + webhook_url + "'\n"
           "        send_resolved: true\n";
  }

  bool ready() const {
    try {
      return http_request("127.0.0.1", port_, "GET", "/-/ready").status == 200;
    } catch (const std::exception&) {
      return false;  // not listening yet
    }
  }

  // Starts the process and waits (bounded) for /-/ready; false when it exited
  // instead (typically: the port was taken).
  bool launch() {
    process_.reset();
    process_.emplace(std::vector<std::string>{binary_, "--config.file=" + (dir_ / "alertmanager.yml").string(),
                                              "--storage.path=" + (dir_ / "data").string(),
                                              "--web.listen-address=127.0.0.1:" + std::to_string(port_),
                                              "--cluster.listen-address=", "--log.level=debug"},
                     (dir_ / "alertmanager.log").string());
    bool exited = false;
    const bool up = wait_until([&] { return ready() || (exited = !process_->running()); },
                                            std::chrono::seconds(30));
    if (up && !exited) return true;
    if (exited) return false;
    throw std::runtime_error("alertmanager on port " + std::to_string(port_) + " not ready within 30 s; log:\n" +
                             log_text());
  }

  TempDir dir_{"nebula-alertmanager"};
  std::string binary_;
  uint16_t port_ = 0;
  std::optional<ChildProcess> process_;  // SIGKILLed and reaped on destruction
};

}  // namespace nebula_test
