// Registration: binds the webhook sink to the plugin ABI. Each delivered
// batch is one POST of webhook_body(), signed when a secret is set, over the
// sinks' shared HTTP client; its answer decides OK / RETRY / INVALID
// (http_post_outcome.hpp).
#include <chrono>

#include <nebula/plugin.hpp>

#include "hmac_signature.hpp"
#include "http_post_client.hpp"
#include "webhook_body.hpp"
#include "webhook_config.hpp"

namespace {

namespace webhook = nebula::sink::webhook;
namespace sinks = nebula::sinks;

class WebhookSink : public nebula::Sink {
 public:
  static constexpr nebula::PluginMeta meta{"nebula.sink.webhook", "Webhook Sink", "1.0.0",
                                           "POSTs each batch of insights as JSON, signed with HMAC-SHA256"};

  static void validate(const nlohmann::json& cfg, nebula::ConfigErrors& errors) { webhook::parse_config(cfg, &errors); }

  WebhookSink(nebula::Host host, const nlohmann::json& cfg)
      : Sink(std::move(host)), config_(webhook::parse_config(cfg)),
        client_(config_.endpoint, {.timeout = std::chrono::milliseconds(config_.timeout_ms), .ca_file = config_.ca_file}) {}

  void deliver(const std::vector<nebula::Insight>& batch) override {
    try {
      post(batch);
    } catch (...) {
      host().count("insights_failed", static_cast<double>(batch.size()));
      throw;
    }
    host().count("insights_delivered", static_cast<double>(batch.size()));
  }

 private:
  void post(const std::vector<nebula::Insight>& batch) {
    std::string body = webhook::webhook_body(batch);
    sinks::HttpPostClient::Headers headers = config_.headers;
    headers.emplace_back("Content-Type", "application/json");
    headers.emplace_back("X-Nebula-Timestamp", std::to_string(unix_seconds()));
    if (!config_.secret.empty()) headers.emplace_back("X-Nebula-Signature", webhook::signature_header(config_.secret, body));
    const sinks::PostOutcome outcome = client_.post(headers, std::move(body));
    if (outcome.status != NEBULA_OK) throw nebula::Error(outcome.status, "webhook " + config_.url + ": " + outcome.message);
  }

  static long long unix_seconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  }

  webhook::Config config_;
  sinks::HttpPostClient client_;
};

}  // namespace

NEBULA_PLUGINS(WebhookSink)
