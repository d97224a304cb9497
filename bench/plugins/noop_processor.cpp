// A processor that does nothing with its records. It stands in for "the
// pipeline" when a benchmark measures the ingest path up to the pool queue
// and dispatcher, and it is the plugin the ABI micro-benchmark calls
// through the C ABI (the SDK trampoline and RecordBatchView included).
#include <nebula/plugin.hpp>

class NoopProcessor : public nebula::Processor {
 public:
  static constexpr nebula::PluginMeta meta{"nebula.bench.noop", "No-op processor (benchmarks)", "1.0.0",
                                           "Accepts record batches and insights, emits nothing"};

  NoopProcessor(nebula::Host host, const nlohmann::json&) : Processor(std::move(host)) {}

  void on_records(const nebula::RecordBatchView& batch) override { rows_ += batch.rows(); }

 private:
  int64_t rows_ = 0;  // touches the view, so the call cannot be optimised into nothing
};

NEBULA_PLUGINS(NoopProcessor)
