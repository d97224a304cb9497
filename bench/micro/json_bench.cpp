// JSON on the ingest path, on our payloads (the fleet simulator's records,
// 4:4:1:1 testnet:mainnet:basic:full; full nodes carry unknown "extra" fields):
//   the host decoder (host/src/ingest, simdjson) against the bare parsers,
//     ndjson: 1000 record lines, as a file chunk or a large TCP batch arrives
//     batch:  {"node_id":…,"data_batch":[50 records]}, as HTTP bodies arrive
//   and encode_record_json, the canonical text the write-ahead log stores.
#include <benchmark/benchmark.h>

#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <simdjson.h>

#include "ingest/record_decoder.hpp"
#include "ingest/record_encoder.hpp"
#include "workload.hpp"

namespace {

using nebula::bench::WorkloadOptions;

constexpr size_t kLines = 1000;
constexpr size_t kBatch = 50;

WorkloadOptions fleet(size_t nodes, size_t steps) {
  WorkloadOptions o;
  o.nodes = nodes;
  o.steps = steps;
  return o;
}

const std::vector<nebula::bench::RecordLine>& lines() {
  static const auto l = nebula::bench::record_lines(fleet(100, kLines / 100));
  return l;
}
const std::string& ndjson() {
  static const std::string text = nebula::bench::ndjson(lines());
  return text;
}
const std::vector<std::string>& batches() {
  static const auto docs = nebula::bench::batch_documents(fleet(20, kBatch), kBatch);
  return docs;
}

void count(benchmark::State& state, size_t records, size_t bytes) {
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * records));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
}

void HostDecoder_Ndjson(benchmark::State& state) {
  for (auto _ : state) {
    auto r = nebula::host::decode_ndjson(ndjson());
    if (r.records.size() != kLines) throw std::runtime_error("decoder refused benchmark records");
    benchmark::DoNotOptimize(r);
  }
  count(state, kLines, ndjson().size());
}

void HostDecoder_Batch50(benchmark::State& state) {
  size_t i = 0, bytes = 0;
  for (auto _ : state) {
    const auto& doc = batches()[i++ % batches().size()];
    auto r = nebula::host::decode_json_payload(doc);
    if (r.records.size() != kBatch) throw std::runtime_error("decoder refused benchmark records");
    bytes += doc.size();
    benchmark::DoNotOptimize(r);
  }
  count(state, kBatch, 0);
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
}

// Parsing alone, no validation and no Record: the floor under any decoder built on the parser.
void NlohmannParseOnly_Ndjson(benchmark::State& state) {
  for (auto _ : state)
    for (const auto& l : lines()) benchmark::DoNotOptimize(nlohmann::json::parse(l.json));
  count(state, kLines, ndjson().size());
}

void SimdjsonParseOnly_Ndjson(benchmark::State& state) {
  simdjson::dom::parser parser;
  for (auto _ : state)
    for (const auto& l : lines()) {
      simdjson::dom::element doc;
      if (parser.parse(l.json).get(doc)) throw std::runtime_error("simdjson refused a benchmark record");
      benchmark::DoNotOptimize(doc);
    }
  count(state, kLines, ndjson().size());
}

void HostEncoder_Record(benchmark::State& state) {
  static const auto records = nebula::host::decode_ndjson(ndjson()).records;
  size_t i = 0, bytes = 0;
  for (auto _ : state) {
    auto text = nebula::host::encode_record_json(records[i++ % records.size()]);
    bytes += text.size();
    benchmark::DoNotOptimize(text);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
}

}  // namespace

BENCHMARK(HostDecoder_Ndjson)->Unit(benchmark::kMicrosecond);
BENCHMARK(HostDecoder_Batch50)->Unit(benchmark::kMicrosecond);
BENCHMARK(NlohmannParseOnly_Ndjson)->Unit(benchmark::kMicrosecond);
BENCHMARK(SimdjsonParseOnly_Ndjson)->Unit(benchmark::kMicrosecond);
BENCHMARK(HostEncoder_Record);
BENCHMARK_MAIN();
