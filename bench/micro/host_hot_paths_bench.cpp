// The host's per-record hot paths of issue #15, each through the host's own
// code: the write-ahead-log frame (encode + checksum, then scan + verify),
// duplicate dropping on a 100-record payload (Runtime::submit, whose
// drop_duplicates callgrind reports on its own), and insight validation in
// Runtime::emit. Iteration counts are fixed so `valgrind --tool=callgrind`
// totals can be compared run to run (docs/benchmarks.md, "Host hot paths").
#include <benchmark/benchmark.h>

#include <filesystem>
#include <memory>
#include <stdexcept>

#include "config/pipeline_config.hpp"
#include "ingest/record_decoder.hpp"
#include "ingest/record_encoder.hpp"
#include "metrics/metrics.hpp"
#include "runtime/runtime.hpp"
#include "wal/crc32c.hpp"
#include "wal/frame.hpp"
#include "workload.hpp"

namespace {

using namespace nebula::host;
constexpr size_t kNodes = 100;   // records per payload, one per node
constexpr size_t kSteps = 200;   // payloads with fresh seqs (more iterations repeat them)
constexpr int kIterations = 200;

nebula::bench::WorkloadOptions fleet() {
  nebula::bench::WorkloadOptions o;
  o.nodes = kNodes;
  o.steps = kSteps;
  return o;
}

// The records as the WAL holds them (canonical JSON, ~400 bytes each).
const std::vector<std::string>& encoded_records() {
  static const std::vector<std::string> encoded = [] {
    nebula::bench::WorkloadOptions one = fleet();
    one.steps = 1;
    std::vector<std::string> out;
    for (const auto& r : decode_ndjson(nebula::bench::ndjson(nebula::bench::record_lines(one))).records)
      out.push_back(encode_record_json(r));
    return out;
  }();
  return encoded;
}

// One frame per record, then the scan a replay does (every CRC checked).
void WalFrame_EncodeVerify100(benchmark::State& state) {
  const auto& records = encoded_records();
  std::string segment;
  for (auto _ : state) {
    segment.clear();
    for (size_t i = 0; i < records.size(); ++i) nebula::wal::append_frame(segment, nebula::wal::FrameType::Records, i, records[i]);
    auto scan = nebula::wal::scan_frames(segment);
    if (scan.frames.size() != records.size()) throw std::runtime_error("frame lost");
    benchmark::DoNotOptimize(scan);
  }
  state.SetItemsProcessed(state.iterations() * int64_t(records.size()));
  state.SetBytesProcessed(state.iterations() * int64_t(segment.size()));
}

// The checksum alone over one ~400-byte record: the portable table (what a
// CPU without SSE4.2 runs) and, where the CPU has it, the crc32 instruction.
void Crc32c_Record(benchmark::State& state) {
  const std::string& record = encoded_records().front();
  const bool hardware = state.range(0) == 1;
  if (hardware && !nebula::wal::crc32c_hardware_available()) return state.SkipWithError("no SSE4.2");
  state.SetLabel(hardware ? "sse4.2" : "slicing-by-8");
  for (auto _ : state)
    benchmark::DoNotOptimize(hardware ? nebula::wal::crc32c_hardware(0, record) : nebula::wal::crc32c_portable(0, record));
  state.SetBytesProcessed(state.iterations() * int64_t(record.size()));
}

// A started Runtime over the no-op processor, WAL on, and a component of its
// own to emit and submit as (both only read its id).
struct Pool {
  std::filesystem::path dir = std::filesystem::temp_directory_path() / ("nebula-bench-hot-" + std::to_string(getpid()));
  PipelineConfig config;
  PluginRegistry registry;
  nebula::host::Metrics metrics;
  std::unique_ptr<Runtime> runtime;
  std::unique_ptr<Component> self;
  ComponentSpec spec;

  Pool() {
    std::filesystem::remove_all(dir);
    const std::string yaml = "plugins:\n  paths: [\"" + std::filesystem::path(NEBULA_BENCH_NOOP_PLUGIN).parent_path().string() +
                             "\"]\nstate_dir: \"" + dir.string() +
                             "\"\nadmin: {enabled: false}\npool: {queue_capacity: 1000000}\n"
                             "wal: {enabled: true, fsync: interval}\ncomponents:\n"
                             "  - {id: sink, plugin: nebula.bench.noop}\n";
    auto parsed = parse_pipeline_text(yaml, "bench.yaml", dir.string());
    if (!parsed.issues.empty()) throw std::runtime_error(parsed.issues.front().format());
    config = parsed.config;
    registry.load_directories(config.plugin_paths);
    runtime = std::make_unique<Runtime>(config, registry, metrics);
    for (auto& e : runtime->create()) throw std::runtime_error(e);
    for (auto& e : runtime->start()) throw std::runtime_error(e);
    spec.id = "bench";
    spec.plugin = "nebula.bench.noop";
    self = std::make_unique<Component>(spec, *registry.find(spec.plugin), *runtime, dir.string());
  }
  ~Pool() {
    self.reset();
    runtime->shutdown();
    runtime.reset();
    std::filesystem::remove_all(dir);
  }
};

Pool& pool() {
  static Pool p;
  return p;
}

// 100 records of 100 nodes with fresh seqs per payload, as one NDJSON payload:
// the whole ingest path, of which callgrind singles out drop_duplicates.
void Submit_Payload100(benchmark::State& state) {
  auto& p = pool();
  const auto lines = nebula::bench::record_lines(fleet());
  std::vector<std::string> payloads;
  for (size_t step = 0; step < kSteps; ++step) payloads.push_back(nebula::bench::ndjson(lines, step * kNodes, kNodes));
  size_t next = 0;
  for (auto _ : state) {
    const std::string& body = payloads[next++ % payloads.size()];
    nebula_verdict verdict{};
    p.runtime->submit(*p.self, NEBULA_FORMAT_NDJSON, body.data(), body.size(), nullptr, &verdict);
    if (verdict.release) verdict.release(&verdict);
  }
  state.SetItemsProcessed(state.iterations() * int64_t(kNodes));
}

// A typical insight: a few KiB of per-node findings.
std::string insight_json(size_t entries) {
  std::string out = R"({"window_s":60,"generated_at":1767225600.25,"findings":[)";
  for (size_t i = 0; i < entries; ++i) {
    if (i) out += ',';
    out += R"({"node_id":"node-)" + std::to_string(i) +
           R"(","score":0.8125,"reason":"peer count fell below 3","metrics":{"peer_count":2,"tps":151.5,"ok":true,"tags":["testnet","full"]}})";
  }
  return out + "]}";
}

void Emit_Insight(benchmark::State& state) {
  auto& p = pool();
  const std::string json = insight_json(size_t(state.range(0)));
  char err[NEBULA_ERROR_CAP];
  for (auto _ : state)
    if (p.runtime->emit(*p.self, "bench", json.data(), json.size(), err, sizeof err) != NEBULA_OK)
      throw std::runtime_error(err);
  state.SetBytesProcessed(state.iterations() * int64_t(json.size()));
  state.counters["insight_bytes"] = double(json.size());
}

}  // namespace

BENCHMARK(WalFrame_EncodeVerify100)->Iterations(kIterations);
BENCHMARK(Crc32c_Record)->Arg(0)->Arg(1)->Iterations(kIterations * 100);
BENCHMARK(Submit_Payload100)->Iterations(kIterations);
BENCHMARK(Emit_Insight)->Arg(15)->Arg(60)->Iterations(kIterations);
BENCHMARK_MAIN();
