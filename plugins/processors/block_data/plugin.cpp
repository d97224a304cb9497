// Registration: binds BlockDataAnalyzer to the plugin ABI. Reads the record
// columns it needs by name and publishes one insight per batch on `blockchain`.
#include <nebula/plugin.hpp>
#include <nebula/record_fields.hpp>
#include <nebula/state_caps.hpp>

#include "block_data_analyzer.hpp"

namespace {

namespace fields = nebula::fields;

std::optional<int64_t> optional_int(const nebula::ColumnView& column, int64_t row) {
  return column.valid(row) ? std::optional<int64_t>(column.integer(row)) : std::nullopt;
}

class BlockDataProcessor : public nebula::Processor {
 public:
  static constexpr nebula::PluginMeta meta{
      "nebula.processor.block_data", "Block Data Processor", "1.0.0",
      "Chain tips, node lag, observed vs expected block interval, stalled nodes, blocks per interval"};

  static void validate(const nlohmann::json& cfg, nebula::ConfigErrors& errors) {
    nebula::block_data::parse_config(cfg, &errors);
  }

  BlockDataProcessor(nebula::Host host, const nlohmann::json& cfg)
      : Processor(std::move(host)), analyzer_(nebula::block_data::parse_config(cfg)) {}

  void on_records(const nebula::RecordBatchView& batch) override {
    const auto timestamp = batch.column(fields::timestamp);
    const auto node_id = batch.column(fields::node_id);
    const auto chain_id = batch.column(fields::chain_id);
    const auto height = batch.column(fields::current_height);
    const auto blocks = batch.column(fields::blocks_processed);
    for (int64_t row = 0; row < batch.rows(); ++row) {
      analyzer_.observe({timestamp.number(row), node_id.text(row), chain_id.text(row), optional_int(height, row),
                         optional_int(blocks, row)});
    }
    publish();
  }

 private:
  void publish() {
    auto insight = analyzer_.take_insight();
    host().gauge("tracked_nodes", static_cast<double>(analyzer_.tracked_nodes()));
    host().gauge("tracked_chains", static_cast<double>(analyzer_.tracked_chains()));
    caps_.report(host(), analyzer_.state_tables());
    if (!insight) return;
    try {
      host().emit("blockchain", *insight);
    } catch (const nebula::Error& e) {
      // Queues full: this summary is superseded by the next batch's, and
      // failing the batch could make the host feed it twice.
      if (e.status() != NEBULA_RETRY) throw;
      host().count("insights_dropped");
    }
  }

  nebula::block_data::BlockDataAnalyzer analyzer_;
  nebula::StateCaps caps_{meta.id};
};

}  // namespace

NEBULA_PLUGINS(BlockDataProcessor)
