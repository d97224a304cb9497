// Registration: binds TransactionAnalyzer to the plugin ABI. Reads the record
// columns it needs by name and publishes one insight per batch on `blockchain`.
#include <nebula/plugin.hpp>
#include <nebula/record_extras.hpp>
#include <nebula/record_fields.hpp>
#include <nebula/state_caps.hpp>
#include <nebula_processors/economics.hpp>

#include "transaction_analyzer.hpp"

namespace {

namespace fields = nebula::fields;

// Extras are the sender's own fields, not range-checked at ingest: a negative
// mempool or fee is a broken sender and is left out rather than averaged in.
std::optional<double> non_negative(std::optional<double> v) { return v && *v >= 0 ? v : std::nullopt; }

class TransactionAnalyzerProcessor : public nebula::Processor {
 public:
  static constexpr nebula::PluginMeta meta{
      "nebula.processor.transaction_analyzer", "Transaction Analyzer", "1.0.0",
      "Transaction throughput per node and chain, node shares, bursts against each node's baseline "
      "(spam flood or organic surge by the node's fees), fee pressure and mempool backlog per chain"};

  static void validate(const nlohmann::json& cfg, nebula::ConfigErrors& errors) {
    nebula::transaction_analyzer::parse_config(cfg, &errors);
  }

  TransactionAnalyzerProcessor(nebula::Host host, const nlohmann::json& cfg)
      : Processor(std::move(host)), analyzer_(nebula::transaction_analyzer::parse_config(cfg)) {}

  void on_records(const nebula::RecordBatchView& batch) override {
    const auto timestamp = batch.column(fields::timestamp);
    const auto node_id = batch.column(fields::node_id);
    const auto chain_id = batch.column(fields::chain_id);
    const auto count = batch.column(fields::transaction_count);
    const auto blocks = batch.column(fields::blocks_processed);
    const auto extra = batch.column(fields::extra);
    for (int64_t row = 0; row < batch.rows(); ++row) {
      nebula::transaction_analyzer::TxSample sample{
          timestamp.number(row), node_id.text(row), chain_id.text(row),
          count.valid(row) ? std::optional<int64_t>(count.integer(row)) : std::nullopt, std::nullopt, std::nullopt, {},
          blocks.valid(row) ? std::optional<int64_t>(blocks.integer(row)) : std::nullopt};
      if (const auto text = extra.text(row); !text.empty()) {  // full nodes only: parse when there is something
        const nebula::RecordExtras extras(text);
        sample.mempool_size = non_negative(extras.number("transaction_analysis", "mempool_size"));
        sample.average_fee = non_negative(extras.number("transaction_analysis", "average_fee"));
        sample.economics = nebula::processors::read_economics(extras);  // checked by the host's decoder
      }
      analyzer_.observe(sample);
    }
    publish();
  }

 private:
  void publish() {
    auto insight = analyzer_.take_insight();
    host().gauge("tracked_nodes", static_cast<double>(analyzer_.tracked_nodes()));
    caps_.report(host(), analyzer_.state_tables());
    if (!insight) return;
    try {
      host().emit("blockchain", *insight);
    } catch (const nebula::Error& e) {
      // Queues full: the next batch's summary supersedes this one, and failing
      // the batch could make the host feed it twice.
      if (e.status() != NEBULA_RETRY) throw;
      host().count("insights_dropped");
    }
  }

  nebula::transaction_analyzer::TransactionAnalyzer analyzer_;
  nebula::StateCaps caps_{meta.id};
};

}  // namespace

NEBULA_PLUGINS(TransactionAnalyzerProcessor)
