// Registration: binds NetworkMonitor to the plugin ABI. Reads the record
// columns it needs by name and publishes one insight per batch on `network`.
#include <nebula/plugin.hpp>
#include <nebula/record_fields.hpp>
#include <nebula/state_caps.hpp>

#include "network_monitor.hpp"

namespace {

namespace fields = nebula::fields;

std::optional<double> optional_number(const nebula::ColumnView& column, int64_t row) {
  return column.valid(row) ? std::optional<double>(column.number(row)) : std::nullopt;
}

class NetworkMonitorProcessor : public nebula::Processor {
 public:
  static constexpr nebula::PluginMeta meta{
      "nebula.processor.network_monitor", "Network Monitor", "1.0.0",
      "Peer and latency quantiles, bandwidth, connection quality, isolated nodes, suspected partitions"};

  static void validate(const nlohmann::json& cfg, nebula::ConfigErrors& errors) {
    nebula::network_monitor::parse_config(cfg, &errors);
  }

  NetworkMonitorProcessor(nebula::Host host, const nlohmann::json& cfg)
      : Processor(std::move(host)), monitor_(nebula::network_monitor::parse_config(cfg)) {}

  void on_records(const nebula::RecordBatchView& batch) override {
    const auto timestamp = batch.column(fields::timestamp);
    const auto node_id = batch.column(fields::node_id);
    const auto chain_id = batch.column(fields::chain_id);
    const auto peers = batch.column(fields::peer_count);
    const auto latency = batch.column(fields::latency);
    const auto bandwidth = batch.column(fields::bandwidth);
    const auto quality = batch.column(fields::connection_quality);
    for (int64_t row = 0; row < batch.rows(); ++row) {
      monitor_.observe({timestamp.number(row), node_id.text(row), chain_id.text(row), optional_number(peers, row),
                        optional_number(latency, row), optional_number(bandwidth, row),
                        optional_number(quality, row)});
    }
    publish();
  }

 private:
  void publish() {
    auto insight = monitor_.take_insight();
    host().gauge("tracked_nodes", static_cast<double>(monitor_.tracked_nodes()));
    caps_.report(host(), monitor_.state_tables());
    if (!insight) return;
    try {
      host().emit("network", *insight);
    } catch (const nebula::Error& e) {
      // Queues full: the next batch's summary supersedes this one, and failing
      // the batch could make the host feed it twice.
      if (e.status() != NEBULA_RETRY) throw;
      host().count("insights_dropped");
    }
  }

  nebula::network_monitor::NetworkMonitor monitor_;
  nebula::StateCaps caps_{meta.id};
};

}  // namespace

NEBULA_PLUGINS(NetworkMonitorProcessor)
