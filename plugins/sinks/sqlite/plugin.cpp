// Registration: binds SqliteHistory to the sink ABI, runs retention on a host
// timer and reports what it stored and deleted as host metrics.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>

#include <nebula/plugin.hpp>

#include "history_request.hpp"
#include "sqlite_config.hpp"
#include "sqlite_history.hpp"

namespace {

namespace sq = nebula::sinks::sqlite;

double now_s() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

class SqliteSink : public nebula::Sink {
 public:
  static constexpr nebula::PluginMeta meta{
      "nebula.sink.sqlite", "SQLite Insight History", "1.0.0",
      "Keeps every insight with its topic, source, nodes and chains in an embedded SQLite file, with retention "
      "by age and size, and answers history queries"};

  static void validate(const nlohmann::json& cfg, nebula::ConfigErrors& errors) { sq::parse_config(cfg, &errors); }

  SqliteSink(nebula::Host host, const nlohmann::json& cfg)
      : Sink(std::move(host)),
        config_(sq::parse_config(cfg)),
        path_(sq::database_path(config_, this->host().state_dir())),
        history_(open_history(path_, {config_.retention_age_s, config_.retention_max_bytes})) {
    this->host().info("insight history in " + path_.string());
    report_size();
    const auto period_ms = static_cast<uint64_t>(config_.retention_check_s * 1000);
    this->host().schedule(period_ms, period_ms, [this] { enforce_retention(); });
  }

  void deliver(const std::vector<nebula::Insight>& batch) override {
    const sq::WriteOutcome out = history_->write(batch);
    host().count("insights_stored", static_cast<double>(out.stored));
    if (out.already_stored) host().count("insights_redelivered", static_cast<double>(out.already_stored));
    if (out.subjects_left_out) host().count("insight_subjects_left_out", static_cast<double>(out.subjects_left_out));
    host().gauge("database_bytes", static_cast<double>(history_->database_bytes()));
  }

  nlohmann::json query(const nlohmann::json& request) override {
    return history_->query(nebula::sinks::parse_history_request(request));
  }

  void flush() override { history_->checkpoint(); }

 private:
  // On the host's timer thread; a failure is logged and counted, and the
  // next check tries again.
  void enforce_retention() {
    try {
      const sq::RetentionOutcome out = history_->enforce_retention(now_s());
      host().count("insights_deleted_by_age", static_cast<double>(out.deleted_by_age));
      host().count("insights_deleted_by_size", static_cast<double>(out.deleted_by_size));
      report_size();
    } catch (const std::exception& e) {
      host().count("retention_failures");
      host().warn(std::string("retention check failed: ") + e.what());
    }
  }

  void report_size() {
    host().gauge("database_bytes", static_cast<double>(history_->database_bytes()));
    host().gauge("insights_retained", static_cast<double>(history_->insights_kept()));
  }

  // Opening errors name the file: SQLite's own messages do not.
  static std::unique_ptr<sq::SqliteHistory> open_history(const std::filesystem::path& path,
                                                         sq::RetentionLimits limits) {
    try {
      return std::make_unique<sq::SqliteHistory>(path, limits);
    } catch (const nebula::Error& e) {
      throw nebula::Error(e.status(), path.string() + ": " + e.what());
    }
  }

  sq::Config config_;
  std::filesystem::path path_;
  std::unique_ptr<sq::SqliteHistory> history_;
};

}  // namespace

NEBULA_PLUGINS(SqliteSink)
