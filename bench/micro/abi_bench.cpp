// ABI overhead: a batch of 100 records handed to a no-op processor plugin,
// a real .so loaded through the host's PluginRegistry and called through
// the C ABI as the dispatcher does (Runtime::run_processor): under a
// per-instance mutex, process_records from the capability table, then the
// SDK trampoline, RecordBatchView and the virtual on_records.
#include <benchmark/benchmark.h>

#include <mutex>
#include <stdexcept>

#include "ingest/record_decoder.hpp"
#include "runtime/plugin_registry.hpp"
#include "workload.hpp"

namespace {

using namespace nebula::host;
using nebula::OwnedBatch;
using nebula::RecordBatchBuilder;
constexpr int64_t kRows = 100;

struct Fixture {
  PluginRegistry registry;
  nebula_host host{};  // a processor that only reads records calls none of it
  const nebula_processor_v1* processor = nullptr;
  void* instance = nullptr;
  std::mutex data_mu;  // the host holds one per instance around every [data] call
  std::vector<Record> records;

  Fixture() {
    if (!registry.load_file(NEBULA_BENCH_NOOP_PLUGIN))
      throw std::runtime_error("cannot load " + std::string(NEBULA_BENCH_NOOP_PLUGIN) + ": " +
                               registry.errors().back().message);
    const auto* descriptor = registry.find("nebula.bench.noop")->descriptor;
    processor = static_cast<const nebula_processor_v1*>(descriptor->get_capability(NEBULA_CAP_PROCESSOR));
    host.struct_size = sizeof host;
    host.abi_major = NEBULA_ABI_MAJOR;
    host.abi_minor = NEBULA_ABI_MINOR;
    char err[NEBULA_ERROR_CAP] = {0};
    if (descriptor->create(&host, "{}", &instance, err, sizeof err) != NEBULA_OK) throw std::runtime_error(err);
    nebula::bench::WorkloadOptions fleet;
    fleet.nodes = kRows;
    fleet.steps = 1;
    records = decode_ndjson(nebula::bench::ndjson(nebula::bench::record_lines(fleet))).records;
  }

  OwnedBatch build() const {
    auto builder = RecordBatchBuilder::canonical();
    for (const auto& r : records) append_record(builder, r);
    return OwnedBatch(std::move(builder));
  }

  void call(const OwnedBatch& batch) {
    char err[NEBULA_ERROR_CAP];
    std::lock_guard lock(data_mu);
    if (processor->process_records(instance, batch.schema(), batch.array(), err, sizeof err) != NEBULA_OK)
      throw std::runtime_error(err);
  }
};

Fixture& fixture() {
  static Fixture f;
  return f;
}

void per_record(benchmark::State& state) {
  state.SetItemsProcessed(state.iterations() * kRows);
}

// The call alone, on a batch built once: what every extra processor costs.
void AbiCall_Batch100(benchmark::State& state) {
  auto& f = fixture();
  const OwnedBatch batch = f.build();
  for (auto _ : state) f.call(batch);
  per_record(state);
}

// Of that, the SDK's RecordBatchView (it indexes the columns by name per call).
void SdkView_Batch100(benchmark::State& state) {
  const OwnedBatch batch = fixture().build();
  for (auto _ : state) benchmark::DoNotOptimize(batch.view().rows());
  per_record(state);
}

// Columnar batch built from 100 Records, then the call: once per cycle and transport set.
void BuildAndCall_Batch100(benchmark::State& state) {
  auto& f = fixture();
  for (auto _ : state) f.call(f.build());
  per_record(state);
}

}  // namespace

BENCHMARK(AbiCall_Batch100);
BENCHMARK(SdkView_Batch100);
BENCHMARK(BuildAndCall_Batch100);
BENCHMARK_MAIN();
