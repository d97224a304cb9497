// Registration: binds StreamWindower to the plugin ABI. Reads the record
// columns it needs by name and publishes the windows each batch closed as one
// insight on `stream`; flush() closes and publishes the rest.
#include <array>

#include <nebula/plugin.hpp>
#include <nebula/record_fields.hpp>
#include <nebula/state_caps.hpp>

#include "stream_windower.hpp"

namespace {

namespace fields = nebula::fields;
namespace ds = nebula::data_stream;

class DataStreamProcessor : public nebula::Processor {
 public:
  static constexpr nebula::PluginMeta meta{
      "nebula.processor.data_stream", "Data Stream Processor", "1.0.0",
      "Per-chain tumbling event-time windows with de-duplication by (node_id, seq) and late-sample handling"};

  static void validate(const nlohmann::json& cfg, nebula::ConfigErrors& errors) { ds::parse_config(cfg, &errors); }

  DataStreamProcessor(nebula::Host host, const nlohmann::json& cfg)
      : Processor(std::move(host)), windower_(ds::parse_config(cfg)) {}

  void on_records(const nebula::RecordBatchView& batch) override {
    const auto timestamp = batch.column(fields::timestamp);
    const auto node_id = batch.column(fields::node_id);
    const auto chain_id = batch.column(fields::chain_id);
    const auto seq = batch.column(fields::seq);
    std::array<nebula::ColumnView, ds::kMetrics.size()> metrics;
    for (size_t i = 0; i < metrics.size(); ++i) metrics[i] = batch.column(ds::kMetrics[i]);
    ds::StreamSample s;
    for (int64_t row = 0; row < batch.rows(); ++row) {
      s.timestamp = timestamp.number(row);
      s.node_id = node_id.text(row);
      s.chain_id = chain_id.text(row);
      s.seq = seq.valid(row) ? std::optional<int64_t>(seq.integer(row)) : std::nullopt;
      for (size_t i = 0; i < metrics.size(); ++i) s.metrics[i] = metrics[i].number(row);  // NaN when null
      windower_.observe(s);
    }
    publish(false);
  }

  void flush() override {
    windower_.close_all();
    publish(true);
  }

 private:
  void publish(bool draining) {
    host().gauge("open_windows", static_cast<double>(windower_.open_windows()));
    host().gauge("tracked_nodes", static_cast<double>(windower_.tracked_nodes()));
    caps_.report(host(), windower_.state_tables());
    auto insight = windower_.pending_insight();
    if (!insight) return;
    try {
      host().emit("stream", *insight);
      windower_.clear_pending();
    } catch (const nebula::Error& e) {
      // Queues full: closed windows are one-shot, so keep them for the next
      // batch rather than fail this one (which the host might feed again).
      if (draining || e.status() != NEBULA_RETRY) throw;
      host().count("insights_deferred");
    }
  }

  ds::StreamWindower windower_;
  nebula::StateCaps caps_{meta.id};
};

}  // namespace

NEBULA_PLUGINS(DataStreamProcessor)
