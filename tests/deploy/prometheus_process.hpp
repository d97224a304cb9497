// A real Prometheus (Debian `prometheus`) on the shipped scrape config and
// alert rules, pointed at a pool of the test's own: the same file with only
// what a site changes anyway replaced (the target's port, where the token
// file is) and one-second scrape and evaluation intervals. Storage in a
// temporary directory; killed on destruction.
//
// A missing binary is an error, not a reason to skip: scripts/install-deps
// installs it (NEBULA_PROMETHEUS and NEBULA_PROMTOOL override the paths).
#pragma once

#include <unistd.h>

#include <cctype>
#include <chrono>
#include <cstdlib>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include "nebula_test/child_process.hpp"
#include "nebula_test/free_port.hpp"
#include "nebula_test/http_client.hpp"
#include "nebula_test/temp_dir.hpp"
#include "nebula_test/wait.hpp"
#include "shipped_files.hpp"

namespace nebula_deploy_test {

inline std::string tool_path(const char* env, const char* fallback) {
  const char* set = std::getenv(env);
  std::string path = set && *set ? set : fallback;
  if (::access(path.c_str(), X_OK) != 0)
    throw std::runtime_error(path + " not found or not executable: install Debian's prometheus (scripts/install-deps does) or set " + env);
  return path;
}

// URL-encodes a query parameter's value.
inline std::string url_encoded(const std::string& text) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

class PrometheusProcess {
 public:
  // Scrapes `127.0.0.1:<pool_admin_port>` with the bearer token `token`.
  PrometheusProcess(unsigned short pool_admin_port, const std::string& token) {
    binary_ = tool_path("NEBULA_PROMETHEUS", "/usr/bin/prometheus");
    dir_.write("nebula-admin.token", token + "\n");
    config_ = dir_.write("prometheus.yml", adapted_config(pool_admin_port));
    for (int attempt = 0;; ++attempt) {  // the free port may be taken before Prometheus binds it
      port_ = nebula_test::free_port();
      if (launch()) return;
      if (attempt == 4) throw std::runtime_error("prometheus did not start; log:\n" + log_text());
    }
  }
  PrometheusProcess(const PrometheusProcess&) = delete;
  PrometheusProcess& operator=(const PrometheusProcess&) = delete;

  const std::filesystem::path& config() const { return config_; }
  std::string log_text() const { return nebula_test::read_file(dir_ / "prometheus.log"); }

  // GET on the HTTP API; the parsed answer, null when it is not JSON.
  nlohmann::json api(const std::string& target) const {
    auto answer = nlohmann::json::parse(nebula_test::http_request("127.0.0.1", port_, "GET", target).body, nullptr, false);
    return answer.is_discarded() ? nlohmann::json() : answer;
  }
  // An instant query: Prometheus's whole answer ({"status": ..., "data": {"result": [...]}}).
  nlohmann::json query(const std::string& promql) const { return api("/api/v1/query?query=" + url_encoded(promql)); }

 private:
  // The shipped config with the target, the token file and the rule file's
  // absolute path swapped in; no Alertmanager (the test has none).
  std::string adapted_config(unsigned short pool_admin_port) const {
    YAML::Node cfg = YAML::LoadFile(kPrometheusConfig.string());
    cfg["global"]["scrape_interval"] = "1s";
    cfg["global"]["evaluation_interval"] = "1s";
    YAML::Node rules;
    rules.push_back(kAlertRules.string());
    cfg["rule_files"] = rules;
    cfg.remove("alerting");
    bool found = false;
    for (auto job : cfg["scrape_configs"]) {
      if (job["job_name"].as<std::string>() != "nebula-pool") continue;
      found = true;
      YAML::Node targets;
      targets.push_back("127.0.0.1:" + std::to_string(pool_admin_port));
      job["static_configs"][0]["targets"] = targets;
      job["authorization"]["credentials_file"] = (dir_ / "nebula-admin.token").string();
    }
    if (!found) throw std::runtime_error(kPrometheusConfig.string() + " has no scrape job 'nebula-pool'");
    YAML::Emitter out;
    out << cfg;
    return out.c_str();
  }

  bool ready() const {
    try {
      return nebula_test::http_request("127.0.0.1", port_, "GET", "/-/ready").status == 200;
    } catch (const std::exception&) {
      return false;  // not listening yet
    }
  }

  // Starts the process and waits (bounded) for /-/ready; false when it exited
  // instead (typically: the port was taken).
  bool launch() {
    process_.reset();
    process_.emplace(std::vector<std::string>{binary_, "--config.file=" + config_.string(),
                                              "--storage.tsdb.path=" + (dir_ / "data").string(),
                                              "--web.listen-address=127.0.0.1:" + std::to_string(port_)},
                     (dir_ / "prometheus.log").string());
    bool exited = false;
    const bool up = nebula_test::wait_until([&] { return ready() || (exited = !process_->running()); },
                                            std::chrono::seconds(30));
    if (up && !exited) return true;
    if (exited) return false;
    throw std::runtime_error("prometheus on port " + std::to_string(port_) + " not ready within 30 s; log:\n" +
                             log_text());
  }

  nebula_test::TempDir dir_{"nebula-prometheus"};
  std::string binary_;
  std::filesystem::path config_;
  unsigned short port_ = 0;
  std::optional<nebula_test::ChildProcess> process_;  // SIGKILLed and reaped on destruction
};

}  // namespace nebula_deploy_test
