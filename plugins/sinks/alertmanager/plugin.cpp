// Registration: binds the alert book to the sink ABI. deliver() turns
// `patterns` and `decisions` insights into the book's current view and posts
// what changed (over the sinks' shared HTTP client); a host timer re-sends
// every firing alert each resend_interval_s so Alertmanager keeps them open.
#include <chrono>
#include <map>
#include <mutex>
#include <string>

#include <nebula/plugin.hpp>

#include "alert_book.hpp"
#include "alert_json.hpp"
#include "alert_labels.hpp"
#include "alertmanager_api.hpp"
#include "alertmanager_config.hpp"
#include "http_post_client.hpp"
#include "incident_alerts.hpp"
#include "recommendation_alerts.hpp"

namespace {

namespace am = nebula::alertmanager;
namespace sinks = nebula::sinks;

// One budget per POST (timeout_ms: connect, send and answer). The connection
// is kept alive between posts and replaced when Alertmanager closed it idle.
sinks::HttpPostClient alertmanager_client(const am::Config& c) {
  return sinks::HttpPostClient(am::alerts_endpoint(c.url), {.timeout = std::chrono::milliseconds(c.timeout_ms),
                                                            .scope = sinks::TimeoutScope::whole_post,
                                                            .user_agent = "nebula-sink-alertmanager",
                                                            .reason = am::alertmanager_message});
}

double wall_now() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

class AlertmanagerSink : public nebula::Sink {
 public:
  static constexpr nebula::PluginMeta meta{
      "nebula.sink.alertmanager", "Alertmanager Sink", "1.0.0",
      "Open incidents (patterns) and recommendations (decisions) as alerts to a Prometheus Alertmanager (API v2): "
      "re-sent while open, resolved when they end"};

  static void validate(const nlohmann::json& cfg, nebula::ConfigErrors& errors) { am::parse_config(cfg, &errors); }

  AlertmanagerSink(nebula::Host host, const nlohmann::json& cfg)
      : Sink(std::move(host)),
        config_(am::parse_config(cfg)),
        client_(alertmanager_client(config_)),
        book_({config_.max_alerts, config_.resolve_timeout_s}) {
    const auto every_ms = static_cast<uint64_t>(config_.resend_interval_s * 1000);
    this->host().schedule(every_ms, every_ms, [this] { resend(); });
  }

  void deliver(const std::vector<nebula::Insight>& batch) override {
    std::lock_guard lock(mu_);
    const double now = wall_now();
    std::string unreadable;
    for (const auto& insight : batch) {
      try {
        apply(insight, now);
      } catch (const nebula::Error& e) {
        if (e.status() != NEBULA_INVALID) throw;
        unreadable += std::string(unreadable.empty() ? "" : "; ") + std::string(insight.topic) + ": " + e.what();
      } catch (const nlohmann::json::exception& e) {
        unreadable += std::string(unreadable.empty() ? "" : "; ") + std::string(insight.topic) + ": " + e.what();
      }
    }
    // The readable insights' changes go out first; the host then offers the
    // batch one by one and dead-letters only the unreadable ones.
    post(book_.changes(now), "changes");
    if (!unreadable.empty()) throw nebula::Error(NEBULA_INVALID, unreadable);
  }

  void flush() override {
    std::lock_guard lock(mu_);
    post(book_.changes(wall_now()), "changes");
  }

 private:
  void apply(const nebula::Insight& insight, double now) {
    const bool patterns = insight.topic == "patterns";
    if (!patterns && insight.topic != "decisions") {
      host().count("insights_ignored");  // wired to a topic this sink has no alerts for
      return;
    }
    const std::string owner = std::string(insight.source) + "/" + std::string(insight.topic);
    // A batch the host offers again one by one after INVALID replays older
    // insights of a producer; its newer view must not be rolled back.
    double& newest = newest_applied_[owner];
    if (insight.timestamp < newest) {
      host().count("stale_insights");
      return;
    }
    newest = insight.timestamp;

    am::LabelSet base = config_.labels;
    base[am::labels::kSource] = std::string(insight.source);
    const auto doc = insight.parse();
    const am::AlertView view = patterns ? am::incident_alerts(doc, base) : am::recommendation_alerts(doc, base);
    const am::ReconcileResult r = book_.reconcile(owner, view, now);
    report(r, view.malformed, owner);
  }

  void report(const am::ReconcileResult& r, size_t malformed, const std::string& owner) {
    if (r.opened) host().count("alerts_opened", static_cast<double>(r.opened));
    if (r.resolved) host().count("alerts_resolved", static_cast<double>(r.resolved));
    if (malformed) {
      host().count("entries_malformed", static_cast<double>(malformed));
      host().warn(owner + ": " + std::to_string(malformed) + " entries without id, kind or node skipped");
    }
    if (r.dropped_resolutions) {
      host().count("resolutions_dropped", static_cast<double>(r.dropped_resolutions));
      host().warn(std::to_string(r.dropped_resolutions) +
                  " unsent resolutions let go at max_alerts; Alertmanager resolves them at their endsAt");
    }
    if (r.over_cap) {
      host().count("alerts_over_cap", static_cast<double>(r.over_cap));
      over_cap_unreported_ += r.over_cap;
      if (!cap_warned_) warn_over_cap();
    }
    host().gauge("firing_alerts", static_cast<double>(book_.firing()));
    host().gauge("pending_resolutions", static_cast<double>(book_.pending_resolutions()));
  }

  void warn_over_cap() {
    host().warn(std::to_string(over_cap_unreported_) + " alerts not tracked: max_alerts (" +
                std::to_string(config_.max_alerts) + ") firing alerts reached");
    over_cap_unreported_ = 0;
    cap_warned_ = true;
  }

  // Posts `alerts`; on success the book forgets what it had pending. Throws
  // Error(RETRY) when Alertmanager could not take them (they stay pending),
  // Error(INVALID) when it refused them (they are let go: sending the same
  // alerts again would be refused again).
  void post(const std::vector<am::OutgoingAlert>& alerts, const char* what) {
    if (alerts.empty()) return;
    const sinks::PostOutcome result = client_.post({{"Content-Type", "application/json"}},
                                                   am::alerts_body(alerts, config_.generator_url));
    if (result.status == NEBULA_RETRY) {
      host().count("posts_failed");
      throw nebula::Error(NEBULA_RETRY, std::string(what) + ": " + where() + result.message);
    }
    book_.confirm_sent();
    host().gauge("pending_resolutions", 0);
    if (result.status != NEBULA_OK) {
      host().count("alerts_refused", static_cast<double>(alerts.size()));
      host().error(std::to_string(alerts.size()) + " alerts refused: " + where() + result.message);
      throw nebula::Error(NEBULA_INVALID, where() + result.message);
    }
    host().count("alerts_posted", static_cast<double>(alerts.size()));
  }

  std::string where() const { return "Alertmanager " + client_.url().text() + ": "; }

  // Timer callback: never overlaps deliver() (ABI), the lock covers flush().
  void resend() {
    std::lock_guard lock(mu_);
    if (over_cap_unreported_ > 0) warn_over_cap();  // at most one summary per interval
    else cap_warned_ = false;
    try {
      post(book_.everything(wall_now()), "re-send");
    } catch (const nebula::Error& e) {
      host().warn(e.what());  // already counted; what is pending goes with the next post
    }
  }

  am::Config config_;
  sinks::HttpPostClient client_;
  am::AlertBook book_;
  std::map<std::string, double> newest_applied_;  // per producer: timestamp of the newest insight applied
  size_t over_cap_unreported_ = 0;
  bool cap_warned_ = false;
  std::mutex mu_;
};

}  // namespace

NEBULA_PLUGINS(AlertmanagerSink)
