// Helpers shared by the transport plugin tests: load the real plugin,
// drive its server and client capabilities, script host verdicts, and wait
// for conditions with a bounded deadline (never sleep-as-synchronisation).
#pragma once

#include <atomic>
#include <chrono>
#include <cstring>
#include <functional>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include <nebula/nebula_plugin.h>
#include <nebula/testing/mock_host.hpp>

namespace nebula::transport_test {

using namespace std::chrono_literals;

inline std::string plugin_path(const std::string& target) {
  return std::string(NEBULA_PLUGIN_DIR) + "/lib" + target + ".so";
}

// One library per process, loaded once (plugins are never unloaded).
inline const testing::PluginLibrary& library(const std::string& target) {
  static std::mutex mu;
  static std::map<std::string, std::unique_ptr<testing::PluginLibrary>> libs;
  std::lock_guard lock(mu);
  auto& slot = libs[target];
  if (!slot) slot = std::make_unique<testing::PluginLibrary>(plugin_path(target));
  return *slot;
}

// Polls `cond` every 2 ms until it holds or `timeout` passes.
template <class F>
bool wait_until(F&& cond, std::chrono::milliseconds timeout = 10s) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!cond()) {
    if (std::chrono::steady_clock::now() > deadline) return cond();
    std::this_thread::sleep_for(2ms);
  }
  return true;
}

// Fills a verdict as the host would; the body is heap-owned, freed by release.
struct VerdictSpec {
  nebula_status status = NEBULA_OK;
  uint32_t accepted = 0;
  uint32_t rejected = 0;
  int64_t last_seq = -1;
  uint32_t retry_after_ms = 0;
  uint32_t http_status = 0;
  std::string body;
};

inline nebula_status fill_verdict(nebula_verdict* out, const VerdictSpec& spec) {
  out->status = spec.status;
  out->accepted = spec.accepted;
  out->rejected = spec.rejected;
  out->last_seq = spec.last_seq;
  out->retry_after_ms = spec.retry_after_ms;
  out->http_status = spec.http_status;
  if (!spec.body.empty()) {
    char* copy = new char[spec.body.size() + 1];
    std::memcpy(copy, spec.body.c_str(), spec.body.size() + 1);
    out->body = copy;
    out->body_len = spec.body.size();
    out->release = [](nebula_verdict* v) {
      delete[] v->body;
      v->body = nullptr;
      v->release = nullptr;
    };
  }
  return spec.status;
}

struct Submission {
  std::string format;
  std::string payload;
  nlohmann::json meta;
  std::chrono::steady_clock::time_point at;
};

// Thread-safe record of what a transport handed to the host.
class SubmissionLog {
 public:
  void add(const std::string& format, const std::string& payload, const std::string& meta) {
    std::lock_guard lock(mu_);
    items_.push_back({format, payload, nlohmann::json::parse(meta.empty() ? "{}" : meta),
                      std::chrono::steady_clock::now()});
  }
  std::vector<Submission> all() const {
    std::lock_guard lock(mu_);
    return items_;
  }
  size_t size() const {
    std::lock_guard lock(mu_);
    return items_.size();
  }

 private:
  mutable std::mutex mu_;
  std::vector<Submission> items_;
};

// Lines of an NDJSON payload (without the newlines, empty lines skipped).
inline std::vector<std::string> lines_of(const std::string& payload) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < payload.size()) {
    size_t nl = payload.find('\n', start);
    if (nl == std::string::npos) nl = payload.size();
    if (nl > start) out.push_back(payload.substr(start, nl - start));
    start = nl + 1;
  }
  return out;
}

// A canonical record as a node would send it.
inline nlohmann::json make_record(const std::string& node, int64_t seq) {
  return {{"timestamp", 1700000000.0 + static_cast<double>(seq)},
          {"node_id", node},
          {"node_type", "testnet"},
          {"chain_id", "nebula-test"},
          {"seq", seq},
          {"blockchain", {{"current_height", 1000 + seq}}},
          {"network", {{"peer_count", 8}}}};
}

// A data_batch document with records seq first..first+n-1.
inline std::string make_batch(const std::string& node, int64_t first_seq, int n, bool records_carry_node = true) {
  nlohmann::json records = nlohmann::json::array();
  for (int i = 0; i < n; ++i) {
    auto r = make_record(node, first_seq + i);
    if (!records_carry_node) r.erase("node_id");
    records.push_back(std::move(r));
  }
  return nlohmann::json{{"node_id", node}, {"data_batch", records}, {"batch_size", n}, {"submission_time", 1.7e9}}
      .dump();
}

// A created transport instance with its server capability, confirm_replay included.
class ServerUnderTest {
 public:
  ServerUnderTest(testing::MockHost& host, const nebula_plugin_descriptor* d, const nlohmann::json& config)
      : instance_(host.create(d, config.dump())),
        server_(instance_.capability<nebula_transport_server_v1>(NEBULA_CAP_TRANSPORT_SERVER)) {}
  ~ServerUnderTest() { stop(); }

  void start() {
    char err[NEBULA_ERROR_CAP] = {0};
    if (server_->start(instance_.raw(), err, sizeof err) != NEBULA_OK) throw std::runtime_error(err);
    started_ = true;
  }
  void stop() {
    if (!started_) return;
    started_ = false;
    char err[NEBULA_ERROR_CAP] = {0};
    server_->stop(instance_.raw(), err, sizeof err);
  }
  // NEBULA_OK: the origin is still this server's to replay; NOT_FOUND: another took it.
  nebula_status confirm_replay(const std::string& origin) {
    char err[NEBULA_ERROR_CAP] = {0};
    return server_->confirm_replay(instance_.raw(), origin.c_str(), err, sizeof err);
  }
  nlohmann::json describe() const {
    std::string out;
    nebula_sink sink{&out, [](void* ctx, const void* data, size_t len) {
                       static_cast<std::string*>(ctx)->append(static_cast<const char*>(data), len);
                       return NEBULA_OK;
                     }};
    char err[NEBULA_ERROR_CAP] = {0};
    if (server_->describe(instance_.raw(), &sink, err, sizeof err) != NEBULA_OK) throw std::runtime_error(err);
    return nlohmann::json::parse(out);
  }
  uint16_t port() const { return describe().at("port").get<uint16_t>(); }

 private:
  testing::Instance instance_;
  const nebula_transport_server_v1* server_;
  bool started_ = false;
};

// The plugin's client capability, as the node library would use it.
class ClientUnderTest {
 public:
  ClientUnderTest(const nebula_plugin_descriptor* d, const std::string& endpoint,
                  const nlohmann::json& config = nlohmann::json::object())
      : table_(static_cast<const nebula_transport_client_v1*>(d->get_capability(NEBULA_CAP_TRANSPORT_CLIENT))) {
    if (!table_) throw std::runtime_error("no client capability");
    char err[NEBULA_ERROR_CAP] = {0};
    const std::string text = config.dump();
    if (table_->client_create(endpoint.c_str(), text.c_str(), &client_, err, sizeof err) != NEBULA_OK)
      throw std::runtime_error(err);
  }
  ~ClientUnderTest() {
    if (client_) table_->client_destroy(client_);
  }
  ClientUnderTest(const ClientUnderTest&) = delete;
  ClientUnderTest& operator=(const ClientUnderTest&) = delete;

  nebula_delivery deliver(const std::string& batch) {
    nebula_delivery d{};
    d.struct_size = sizeof d;
    table_->deliver(client_, batch.data(), batch.size(), &d);
    return d;
  }

 private:
  const nebula_transport_client_v1* table_;
  void* client_ = nullptr;
};

// validate_config's verdict and message for a config.
inline std::pair<nebula_status, std::string> validate(const nebula_plugin_descriptor* d, const nlohmann::json& cfg) {
  char err[NEBULA_ERROR_CAP] = {0};
  const std::string text = cfg.dump();
  nebula_status st = d->validate_config(text.c_str(), err, sizeof err);
  return {st, err};
}

// A fresh, empty temporary directory removed on destruction.
class TempDir {
 public:
  TempDir() {
    static std::atomic<int> n{0};
    path_ = std::filesystem::temp_directory_path() /
            ("nebula-transport-test-" + std::to_string(::getpid()) + "-" + std::to_string(n++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace nebula::transport_test
