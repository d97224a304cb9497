// Fixture for the webhook sink tests: the real plugin module on the SDK's
// mock host, posting to an HttpReceiver of the test's own.
#pragma once

#include <memory>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <nebula/testing/mock_host.hpp>

#include "http_receiver.hpp"
#include "nebula_test/temp_dir.hpp"

namespace nebula::sink_webhook_test {

using nebula::testing::EmittedInsight;
using sink_test::HttpReceiver;
using sink_test::Received;

inline const nebula_plugin_descriptor* webhook_sink() {
  static const nebula::testing::PluginLibrary lib(std::string(NEBULA_PLUGIN_DIR) + "/libnebula_sink_webhook.so");
  return lib.find("nebula.sink.webhook");
}

inline EmittedInsight numbered(int n) { return {"patterns", nlohmann::json{{"n", n}}.dump()}; }

class WebhookSinkTest : public ::testing::Test {
 protected:
  nebula::testing::Instance make(nlohmann::json cfg) { return host_.create(webhook_sink(), cfg.dump()); }
  nlohmann::json config() const { return {{"url", receiver_.url()}}; }

  nebula_test::TempDir dir_{"nebula-sink-webhook"};
  nebula::testing::MockHost host_{dir_ / "state"};
  HttpReceiver receiver_;
};

}  // namespace nebula::sink_webhook_test
