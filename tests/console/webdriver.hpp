// A small W3C WebDriver client for the console test: starts the Debian
// chromedriver on a free port, opens one headless Chromium session, and
// offers what the test needs (navigate, run a script, wait for a condition,
// click, screenshot, the browser's console log).
#pragma once

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "nebula_test/child_process.hpp"
#include "nebula_test/free_port.hpp"
#include "nebula_test/http_client.hpp"
#include "nebula_test/temp_dir.hpp"
#include "nebula_test/wait.hpp"

namespace console_test {

inline constexpr const char* kChromium = "/usr/bin/chromium";
inline constexpr const char* kChromedriver = "/usr/bin/chromedriver";
inline constexpr const char* kElementKey = "element-6066-11e4-a52e-4f735466cecf";

inline std::string base64_decode(const std::string& in) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  std::string out;
  int bits = 0, acc = 0;
  for (char c : in) {
    const int v = value(c);
    if (v < 0) continue;  // padding, line breaks
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xff));
    }
  }
  return out;
}

class Browser {
 public:
  Browser() : port_(nebula_test::free_port()) {
    driver_ = std::make_unique<nebula_test::ChildProcess>(
        std::vector<std::string>{kChromedriver, "--port=" + std::to_string(port_)}, (dir_ / "chromedriver.log").string());
    const bool up = nebula_test::wait_until([&] {
      try {
        return nebula_test::http_get(port_, "/status").status == 200;
      } catch (const std::exception&) {
        return false;
      }
    }, std::chrono::seconds(20));
    if (!up) throw std::runtime_error("chromedriver did not answer /status within 20 s");
    const nlohmann::json caps = {
        {"capabilities",
         {{"alwaysMatch",
           {{"browserName", "chrome"},
            {"goog:loggingPrefs", {{"browser", "ALL"}}},
            {"goog:chromeOptions",
             {{"binary", kChromium},
              {"args",
               {"--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1400,1000",
                "--user-data-dir=" + (dir_ / "profile").string()}}}}}}}}};
    session_ = call("POST", "/session", caps)["sessionId"].get<std::string>();
  }

  ~Browser() {
    try {
      if (!session_.empty()) call("DELETE", "/session/" + session_, nullptr);  // closes Chromium
    } catch (const std::exception&) {
    }
  }

  Browser(const Browser&) = delete;
  Browser& operator=(const Browser&) = delete;

  // The value of a WebDriver command; throws with WebDriver's message on an error.
  nlohmann::json call(const std::string& method, const std::string& path, const nlohmann::json& body) {
    const auto r = nebula_test::http_request("127.0.0.1", port_, method, path, body.is_null() ? "" : body.dump());
    auto doc = nlohmann::json::parse(r.body, nullptr, false);
    if (r.status != 200 || doc.is_discarded())
      throw std::runtime_error(method + " " + path + ": HTTP " + std::to_string(r.status) + " " + r.body.substr(0, 500));
    return doc["value"];
  }

  void go(const std::string& url) { call("POST", s("/url"), {{"url", url}}); }

  // Runs `script` (a function body; `arguments` are `args`) and returns its value.
  nlohmann::json run(const std::string& script, const nlohmann::json& args = nlohmann::json::array()) {
    return call("POST", s("/execute/sync"), {{"script", script}, {"args", args}});
  }

  // Polls `script` until it returns true.
  bool wait_for(const std::string& script, std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
    return nebula_test::wait_until([&] { return run(script) == true; }, timeout);
  }

  std::string find(const std::string& css) {
    const nlohmann::json found = call("POST", s("/element"), {{"using", "css selector"}, {"value", css}});
    if (!found.contains(kElementKey)) throw std::runtime_error("no element " + css + ": " + found.dump());
    return found[kElementKey].get<std::string>();
  }

  void click(const std::string& element) { call("POST", s("/element/" + element + "/click"), nlohmann::json::object()); }

  // A PNG of the viewport, written to `path`.
  void screenshot(const std::filesystem::path& path) {
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << base64_decode(call("GET", s("/screenshot"), nullptr).get<std::string>());
  }

  // Console messages since the last call: [{level, message, timestamp}].
  nlohmann::json log() { return call("POST", s("/se/log"), {{"type", "browser"}}); }

 private:
  std::string s(const std::string& tail) const { return "/session/" + session_ + tail; }

  nebula_test::TempDir dir_{"console-browser"};
  unsigned short port_;
  std::unique_ptr<nebula_test::ChildProcess> driver_;
  std::string session_;
};

}  // namespace console_test
