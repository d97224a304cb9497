// Fixture for the file transport tests: a spool directory, a state directory
// (the mock host's), the real plugin module, and helpers to write spool files
// and to wait for the tailer to have polled.
#pragma once

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "transport_test_support.hpp"

namespace nebula::transport_test {

namespace fs = std::filesystem;

inline std::string spool_line(const std::string& tag, int n) {
  return nlohmann::json{{"node_id", tag}, {"seq", n}}.dump() + "\n";
}

inline std::string read_text(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Appends like a node would (O_APPEND, one write).
inline void append(const fs::path& p, const std::string& text) {
  int fd = ::open(p.c_str(), O_WRONLY | O_APPEND | O_CREAT, 0644);
  ASSERT_GE(fd, 0) << p;
  ASSERT_EQ(::write(fd, text.data(), text.size()), static_cast<ssize_t>(text.size()));
  ::close(fd);
}

class FileTransportTest : public ::testing::Test {
 protected:
  FileTransportTest() { fs::create_directories(spool_); }

  const nebula_plugin_descriptor* descriptor() const {
    return library("nebula_transport_file").find("nebula.transport.file");
  }

  void accept_all() {
    host_.on_submit([this](const std::string& fmt, const std::string& payload, const std::string& meta,
                           nebula_verdict* out) {
      log_.add(fmt, payload, meta);
      return fill_verdict(out, {NEBULA_OK, static_cast<uint32_t>(lines_of(payload).size()), 0, -1, 0, 200, ""});
    });
  }

  nlohmann::json default_config() const {
    return {{"paths", {(spool_ / "*.jsonl").string()}}, {"poll_interval_ms", 10}};
  }

  ServerUnderTest& start_server(nlohmann::json config = nullptr) {
    if (config.is_null()) config = default_config();
    config_ = config;
    server_ = std::make_unique<ServerUnderTest>(host_, descriptor(), config_);
    server_->start();
    return *server_;
  }
  // A new instance on the same state directory (what a pool restart does).
  ServerUnderTest& restart_server() {
    server_.reset();
    return start_server(config_);
  }

  // Every line handed to the host so far, in order.
  std::vector<std::string> submitted() const {
    std::vector<std::string> out;
    for (auto& s : log_.all())
      for (auto& l : lines_of(s.payload)) out.push_back(l);
    return out;
  }
  bool wait_submitted(size_t n) {
    return wait_until([&] { return submitted().size() >= n; });
  }
  // Waits until the tailer has completed `n` more full polls.
  bool wait_polls(int n = 2) {
    const auto target = server_->describe()["polls"].get<uint64_t>() + static_cast<uint64_t>(n);
    return wait_until([&] { return server_->describe()["polls"].get<uint64_t>() >= target; });
  }
  // The persisted offset of the file now at `p` (-1 when not recorded).
  int64_t persisted_offset(const fs::path& p) const {
    auto file = host_.state_dir() / "offsets.json";
    if (!fs::exists(file)) return -1;
    auto doc = nlohmann::json::parse(read_text(file));
    struct stat st {};
    if (::stat(p.c_str(), &st) != 0) return -1;
    const std::string key = std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino);
    return doc["files"].contains(key) ? doc["files"][key]["offset"].get<int64_t>() : -1;
  }
  std::vector<nlohmann::json> rejected_entries() const {
    std::vector<nlohmann::json> out;
    auto file = host_.state_dir() / "rejected.jsonl";
    if (!fs::exists(file)) return out;
    for (auto& l : lines_of(read_text(file))) out.push_back(nlohmann::json::parse(l));
    return out;
  }

  TempDir dir_;
  fs::path spool_ = dir_.path() / "spool";
  testing::MockHost host_{dir_.path() / "state"};
  SubmissionLog log_;
  nlohmann::json config_;
  std::unique_ptr<ServerUnderTest> server_;  // declared last: stops before the host goes
};

}  // namespace nebula::transport_test
