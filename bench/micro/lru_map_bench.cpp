// nebula::LruMap (sdk/include/nebula/lru_map.hpp), the per-node and per-chain
// table of every processor and agent, against the std::list + unordered_map
// layout it had before issue #15 (ListLruMap below, kept only for this
// comparison): touch on 100,000 keys shaped like the engines'
// (chain '\x1f' node), and the heap bytes each entry costs (mallinfo2, the
// value a 16-byte struct). docs/benchmarks.md, "LruMap (#15)".
#include <benchmark/benchmark.h>
#include <malloc.h>

#include <algorithm>
#include <cstdio>
#include <list>
#include <random>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <nebula/lru_map.hpp>

namespace {

// The layout before #15, verbatim in what touch does: a list node per entry
// holding the key, and a hash node per entry pointing at it.
template <class Value>
class ListLruMap {
 public:
  using Entry = std::pair<const std::string, Value>;
  explicit ListLruMap(size_t capacity) : capacity_(capacity ? capacity : 1) {}

  Value& touch(std::string_view key) {
    if (auto it = index_.find(key); it != index_.end()) {
      entries_.splice(entries_.begin(), entries_, it->second);
      return it->second->second;
    }
    if (entries_.size() >= capacity_) {
      index_.erase(std::string_view(entries_.back().first));
      entries_.pop_back();
    }
    entries_.emplace_front(std::string(key), Value{});
    index_.emplace(std::string_view(entries_.front().first), entries_.begin());
    return entries_.front().second;
  }
  size_t size() const { return entries_.size(); }

 private:
  size_t capacity_;
  std::list<Entry> entries_;
  std::unordered_map<std::string_view, typename std::list<Entry>::iterator> index_;
};

struct Pair16 {
  double a = 0, b = 0;
};

constexpr size_t kKeys = 100'000;

// "chain-7\x1fnode-000123": 22 bytes, past std::string's 15-byte inline buffer.
const std::vector<std::string>& keys() {
  static const std::vector<std::string> k = [] {
    std::vector<std::string> out;
    char node[16];
    for (size_t i = 0; i < kKeys; ++i) {
      std::snprintf(node, sizeof node, "node-%06zu", i);
      out.push_back(std::string("chain-7\x1f") + node);
    }
    return out;
  }();
  return k;
}

// The same keys in a fixed shuffled order: touches do not walk memory in insertion order.
const std::vector<const std::string*>& shuffled() {
  static const std::vector<const std::string*> s = [] {
    std::vector<const std::string*> out;
    for (const auto& k : keys()) out.push_back(&k);
    std::shuffle(out.begin(), out.end(), std::mt19937(15));
    return out;
  }();
  return s;
}

// Every key already present: the lookup and the move to the front.
template <class Map>
void Touch_Hit100k(benchmark::State& state) {
  Map map(kKeys);
  for (const auto& k : keys()) map.touch(k);
  for (auto _ : state)
    for (const std::string* k : shuffled()) benchmark::DoNotOptimize(map.touch(*k).a += 1);
  state.SetItemsProcessed(state.iterations() * int64_t(kKeys));
}

// Half the capacity: every touch misses, evicts the oldest and inserts.
template <class Map>
void Touch_Evict100k(benchmark::State& state) {
  Map map(kKeys / 2);
  for (auto _ : state)
    for (const std::string* k : shuffled()) benchmark::DoNotOptimize(map.touch(*k).a += 1);
  state.SetItemsProcessed(state.iterations() * int64_t(kKeys));
}

// A fresh map filled with 100k keys (growth included), then freed.
template <class Map>
void Touch_Fill100k(benchmark::State& state) {
  for (auto _ : state) {
    Map map(1'000'000);
    for (const std::string* k : shuffled()) benchmark::DoNotOptimize(map.touch(*k).a += 1);
  }
  state.SetItemsProcessed(state.iterations() * int64_t(kKeys));
}

// Heap bytes per entry: what malloc hands out for 100k entries, over 100k.
template <class Map>
void Memory_BytesPerEntry100k(benchmark::State& state) {
  const auto& k = keys();
  for (auto _ : state) {
    const size_t before = mallinfo2().uordblks;
    auto* map = new Map(1'000'000);
    for (const auto& key : k) map->touch(key);
    const size_t after = mallinfo2().uordblks;
    state.counters["bytes_per_entry"] = double(after - before) / double(kKeys);
    state.counters["of_which_value"] = double(sizeof(Pair16));
    delete map;
  }
}

using Old = ListLruMap<Pair16>;
using New = nebula::LruMap<Pair16>;

BENCHMARK(Touch_Hit100k<Old>)->Name("Touch_Hit100k/list_unordered_map");
BENCHMARK(Touch_Hit100k<New>)->Name("Touch_Hit100k/LruMap");
BENCHMARK(Touch_Evict100k<Old>)->Name("Touch_Evict100k/list_unordered_map");
BENCHMARK(Touch_Evict100k<New>)->Name("Touch_Evict100k/LruMap");
BENCHMARK(Touch_Fill100k<Old>)->Name("Touch_Fill100k/list_unordered_map");
BENCHMARK(Touch_Fill100k<New>)->Name("Touch_Fill100k/LruMap");
BENCHMARK(Memory_BytesPerEntry100k<Old>)->Name("Memory_BytesPerEntry100k/list_unordered_map")->Iterations(1);
BENCHMARK(Memory_BytesPerEntry100k<New>)->Name("Memory_BytesPerEntry100k/LruMap")->Iterations(1);

}  // namespace

BENCHMARK_MAIN();
