// Registration: binds PostgresHistory to the sink ABI, runs retention on a
// host timer and reports what it stored, deleted and reconnected as metrics.
#include <chrono>
#include <cstdint>
#include <memory>

#include <nebula/plugin.hpp>

#include "history_request.hpp"
#include "postgres_config.hpp"
#include "postgres_history.hpp"

namespace {

namespace pg = nebula::sinks::postgres;

double now_s() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

pg::HistorySettings history_settings(const pg::Config& c) {
  return {{c.dsn, c.connect_timeout_s, "nebula-pool"},
          c.schema,
          c.table_prefix,
          pg::effective_host_id(c),
          {c.retention_age_s, c.retention_max_rows}};
}

class PostgresSink : public nebula::Sink {
 public:
  static constexpr nebula::PluginMeta meta{
      "nebula.sink.postgres", "PostgreSQL Insight History", "1.0.0",
      "Keeps every insight with its topic, source, host, nodes and chains in a PostgreSQL database several pool "
      "hosts share, with retention by age and row count, and answers history queries"};

  static void validate(const nlohmann::json& cfg, nebula::ConfigErrors& errors) { pg::parse_config(cfg, &errors); }

  PostgresSink(nebula::Host host, const nlohmann::json& cfg)
      : Sink(std::move(host)),
        config_(pg::parse_config(cfg)),
        settings_(history_settings(config_)),
        history_(std::make_unique<pg::PostgresHistory>(settings_)) {
    // A server that is down now does not stop the pool: deliveries answer
    // RETRY until it is back, and the host keeps the insights meanwhile.
    try {
      this->host().info("insight history in postgres " + history_->connect() + ", tables " + config_.schema + "." +
                        config_.table_prefix + "insights, host_id " + settings_.host_id);
      report_connects();
    } catch (const nebula::Error& e) {
      this->host().count("connect_failures");
      this->host().warn(std::string("history database not reachable yet (deliveries retry): ") + e.what());
    }
    const auto period_ms = static_cast<uint64_t>(config_.retention_check_s * 1000);
    this->host().schedule(period_ms, period_ms, [this] { enforce_retention(); });
  }

  void deliver(const std::vector<nebula::Insight>& batch) override {
    const pg::WriteOutcome out = history_->write(batch);
    report_connects();
    host().count("insights_stored", static_cast<double>(out.stored));
    if (out.already_stored) host().count("insights_redelivered", static_cast<double>(out.already_stored));
    if (out.subjects_left_out) host().count("insight_subjects_left_out", static_cast<double>(out.subjects_left_out));
  }

  nlohmann::json query(const nlohmann::json& request) override {
    return history_->query(nebula::sinks::parse_history_request(request));
  }

 private:
  // On the host's timer thread; a failure is logged and counted, and the
  // next check tries again.
  void enforce_retention() {
    try {
      const pg::RetentionOutcome out = history_->enforce_retention(now_s());
      if (out.skipped) {
        host().count("retention_skipped");  // another pool host is at it
        return;
      }
      host().count("insights_deleted_by_age", static_cast<double>(out.deleted_by_age));
      host().count("insights_deleted_by_rows", static_cast<double>(out.deleted_by_rows));
      host().gauge("insights_retained", static_cast<double>(history_->insights_kept()));
    } catch (const std::exception& e) {
      host().count("retention_failures");
      host().warn(std::string("retention check failed: ") + e.what());
    }
  }

  // Every connection of the writer after its first is a reconnect.
  void report_connects() {
    const uint64_t connects = history_->writer_connects();
    const uint64_t reconnects = connects > 0 ? connects - 1 : 0;
    if (reconnects > reported_reconnects_) host().count("reconnects", static_cast<double>(reconnects - reported_reconnects_));
    reported_reconnects_ = reconnects;
  }

  pg::Config config_;
  pg::HistorySettings settings_;
  std::unique_ptr<pg::PostgresHistory> history_;
  uint64_t reported_reconnects_ = 0;
};

}  // namespace

NEBULA_PLUGINS(PostgresSink)
