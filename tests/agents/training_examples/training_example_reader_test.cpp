// The agents' training-example reader (simdjson, no DOM) against a table of
// documents, well-formed, malformed and odd, each with the result the
// nlohmann DOM reader it replaced gave (recorded from that reader, which a
// differential test compared before it was deleted: commit 214a10c); and
// against the learning processor's real output on a simulated fleet.
#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <charconv>
#include <string>
#include <vector>

#include "fleet_feed.hpp"
#include "nebula_agents/training_examples.hpp"

namespace {

using nebula::agents::ParsedBatch;
using nebula::agents::read_training_examples;
using nebula::agents::TrainingExample;

std::string number(double v) {
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);  // shortest text that reads back as v
  return std::string(buf, r.ptr);
}

template <typename T, size_t N>
std::string list(const std::array<T, N>& values) {
  std::string out;
  for (const auto& v : values) out += (out.empty() ? "" : " ") + number(static_cast<double>(v));
  return out;
}

std::string optional_number(const std::optional<double>& v) { return v ? number(*v) : "-"; }

// Every field of every example, so two results are equal iff their texts are.
std::string render(const std::optional<ParsedBatch>& b) {
  if (!b) return "not json";
  std::string out = std::string(b->usable ? "usable" : "unusable") + " skipped=" + std::to_string(b->skipped);
  for (const TrainingExample& e : b->examples) {
    std::string present;
    for (bool p : e.present) present += p ? '1' : '0';
    out += " | " + e.node_id + " " + e.chain_id + " " + e.node_type + " t=" + number(e.timestamp) + " f=" +
           list(e.features) + " raw=" + list(e.raw) + " present=" + present + " targets=" +
           optional_number(e.next_blocks) + "," + optional_number(e.next_transactions) + "," +
           optional_number(e.next_latency) + "," + optional_number(e.next_peers) +
           " anomaly=" + (e.anomalous ? "1" : "0");
    for (const auto& k : e.anomaly_kinds) out += " " + k;
  }
  return out;
}

const std::string kNames =
    R"(["blocks_per_interval","tx_rate","height_lag","peer_count","latency_ms","bandwidth","connection_quality",)"
    R"("cpu_usage","memory_usage","hash_rate","block_interval_expected_s","is_testnet","is_mainnet"])";
const std::string kNorm = R"({"mean":[5,1,1,1,1,1,1,1,1,1,1,1,1],"std":[2,1,1,1,1,1,1,1,1,1,1,1,1]})";
const std::string kFeatures = "[0.5,-1,0,0,0,0,0,0,0,0,0,1,0]";
const std::string kRaw = "[6,0,1,1,1,1,1,1,1,1,1,2,1]";

// A training_examples document around `examples` (the producer's key order).
std::string doc(const std::string& examples, const std::string& names = kNames, const std::string& norm = kNorm) {
  return R"({"examples":[)" + examples + R"(],"feature_names":)" + names +
         R"(,"generated_at":1700000000.5,"kind":"training_examples","normalization":)" + norm + "}";
}

// One example as write_example shapes it, with `extra` fields appended.
std::string example(const std::string& node = "n1", const std::string& features = kFeatures,
                    const std::string& raw = kRaw, const std::string& extra = "") {
  return R"({"anomaly":{"active":true,"kinds":["stall"]},"chain_id":"testnet","features":)" + features +
         R"(,"node_id":")" + node + R"(","node_type":"validator","raw":)" + raw +
         R"(,"targets":{"next_blocks":2,"next_latency":null,"next_peers":8,"next_transactions":40},)"
         R"("timestamp":1700000000.25)" + extra + "}";
}

// How render() shows example() with its defaults after the node id.
const std::string kShaped =
    "testnet validator t=1700000000.25 f=0.5 -1 0 0 0 0 0 0 0 0 0 1 0 raw=6 0 1 1 1 1 1 1 1 1 1 2 1 "
    "present=1100000000010 targets=2,40,-,8 anomaly=1 stall";

struct Row {
  const char* name;
  std::string text;
  std::string expected;  // render() of the result
};

std::vector<Row> table() {
  return {
      {"a producer-shaped example", doc(example()),
       "usable skipped=0 | n1 " + kShaped},
      {"two examples", doc(example("a") + "," + example("b")),
       "usable skipped=0 | a " + kShaped + " | b " + kShaped},
      {"an empty batch", doc(""),
       "usable skipped=0"},
      {"not JSON: truncated", doc(example()).substr(0, 40),
       "not json"},
      {"not JSON: empty text", "",
       "not json"},
      {"not JSON: trailing comma", R"({"kind":"training_examples","examples":[],})",
       "not json"},
      {"not JSON: bytes after the document", doc(example()) + " x",
       "not json"},
      {"not JSON: a bad literal", R"({"kind":"training_examples","generated_at":tru,"examples":[]})",
       "not json"},
      {"not JSON: 1e400", R"({"kind":"training_examples","examples":[],"generated_at":1e400})",
       "not json"},
      {"not JSON: bad UTF-8", "{\"kind\":\"training_examples\",\"examples\":[],\"x\":\"\xff\"}",
       "not json"},
      {"not an object", "[1,2]",
       "unusable skipped=0"},
      {"a bare string", "\"training_examples\"",
       "unusable skipped=0"},
      {"no kind", R"({"examples":[]})",
       "unusable skipped=0"},
      {"another kind", R"({"kind":"patterns","examples":[]})",
       "unusable skipped=0"},
      // The one deliberate difference: the DOM reader threw here.
      {"kind is a number", R"({"kind":5,"examples":[]})",
       "unusable skipped=0"},
      {"the last of two kinds wins", R"({"kind":"x","kind":"training_examples","examples":[]})",
       "usable skipped=0"},
      {"no examples", R"({"kind":"training_examples"})",
       "unusable skipped=0"},
      {"examples is an object", R"({"kind":"training_examples","examples":{}})",
       "unusable skipped=0"},
      {"examples that are not objects", doc(R"(1,"x",null,[],true)"),
       "usable skipped=5"},
      {"node_id missing", doc(R"({"features":[0,0,0,0,0,0,0,0,0,0,0,0,0]})"),
       "usable skipped=1"},
      {"node_id a number", doc(R"({"node_id":5,"features":[0,0,0,0,0,0,0,0,0,0,0,0,0]})"),
       "usable skipped=1"},
      {"the last node_id wins", doc(R"({"node_id":"a","node_id":7,"features":[0,0,0,0,0,0,0,0,0,0,0,0,0]})"),
       "usable skipped=1"},
      {"features missing", doc(R"({"node_id":"n"})"),
       "usable skipped=1"},
      {"features a string", doc(R"({"node_id":"n","features":"x"})"),
       "usable skipped=1"},
      {"features too short", doc(example("n", "[1,2]")),
       "usable skipped=1"},
      {"a feature is a string", doc(example("n", R"([0,0,"1",0,0,0,0,0,0,0,0,0,0])")),
       "usable skipped=1"},
      {"a feature is null", doc(example("n", "[0,0,null,0,0,0,0,0,0,0,0,0,0]")),
       "usable skipped=1"},
      {"a feature is a bool", doc(example("n", "[0,0,true,0,0,0,0,0,0,0,0,0,0]")),
       "usable skipped=1"},
      {"features are clipped to +-10", doc(example("n", "[100,-100,1e300,-0.0,10,-10,0,0,0,0,0,0,0]")),
       "usable skipped=0 | n testnet validator t=1700000000.25 f=10 -10 10 -0 10 -10 0 0 0 0 0 0 0 raw=6 0 1 1 1 1 1 1 1 1 1 2 1 present=1110110000010 targets=2,40,-,8 anomaly=1 stall"},
      {"integer features, 64-bit extremes", doc(example("n", "[18446744073709551615,-9223372036854775808,0,0,0,0,0,0,0,0,0,0,0]")),
       "usable skipped=0 | n testnet validator t=1700000000.25 f=10 -10 0 0 0 0 0 0 0 0 0 0 0 raw=6 0 1 1 1 1 1 1 1 1 1 2 1 present=1100000000010 targets=2,40,-,8 anomaly=1 stall"},
      {"an integer beyond 64 bits", doc(example("n", "[100000000000000000000,0,0,0,0,0,0,0,0,0,0,0,0]")),
       "usable skipped=0 | n testnet validator t=1700000000.25 f=10 0 0 0 0 0 0 0 0 0 0 0 0 raw=6 0 1 1 1 1 1 1 1 1 1 2 1 present=1100000000010 targets=2,40,-,8 anomaly=1 stall"},
      {"a big integer timestamp", doc(R"({"node_id":"n","features":[0,0,0,0,0,0,0,0,0,0,0,0,0],"timestamp":123456789012345678901234})"),
       "usable skipped=0 | n unknown  t=1.2345678901234569e+23 f=0 0 0 0 0 0 0 0 0 0 0 0 0 raw=5 1 1 1 1 1 1 1 1 1 1 1 1 present=0000000000000 targets=-,-,-,- anomaly=0"},
      {"minimal example: defaults", doc(R"({"node_id":"n","features":[0,0,0,0,0,0,0,0,0,0,0,0,0]})"),
       "usable skipped=0 | n unknown  t=0 f=0 0 0 0 0 0 0 0 0 0 0 0 0 raw=5 1 1 1 1 1 1 1 1 1 1 1 1 present=0000000000000 targets=-,-,-,- anomaly=0"},
      {"chain_id, node_type, timestamp of the wrong type",
       doc(R"({"node_id":"n","chain_id":1,"node_type":[],"timestamp":"now","features":[0,0,0,0,0,0,0,0,0,0,0,0,0]})"),
       "usable skipped=0 | n unknown  t=0 f=0 0 0 0 0 0 0 0 0 0 0 0 0 raw=5 1 1 1 1 1 1 1 1 1 1 1 1 present=0000000000000 targets=-,-,-,- anomaly=0"},
      {"escaped and non-ASCII node ids", doc(example(R"(caf\u00e9 \ud83d\ude00 \"q\")") + "," + example("\xc3\xa9t\xc3\xa9")),
       "usable skipped=0 | café 😀 \"q\" " + kShaped + " | été " + kShaped},
      {"feature_names absent: contract order", R"({"kind":"training_examples","examples":[)" + example() + "]}",
       "usable skipped=0 | n1 testnet validator t=1700000000.25 f=0.5 -1 0 0 0 0 0 0 0 0 0 1 0 raw=6 0 1 1 1 1 1 1 1 1 1 2 1 present=1111111111111 targets=2,40,-,8 anomaly=1 stall"},
      {"feature_names not an array: contract order", doc(example(), R"("blocks_per_interval")"),
       "usable skipped=0 | n1 " + kShaped},
      {"feature_names permuted",
       doc(example("n", "[1,2,3,4,5,6,7,8,9,0.5,0.25,0,-1]", "[11,12,13,14,15,16,17,18,19,20,21,22,23]"),
           R"(["is_mainnet","is_testnet","block_interval_expected_s","hash_rate","memory_usage","cpu_usage",)"
           R"("connection_quality","bandwidth","latency_ms","peer_count","height_lag","tx_rate","blocks_per_interval"])",
           R"({"mean":[1,2,3,4,5,6,7,8,9,10,11,12,13]})"),
       "usable skipped=0 | n testnet validator t=1700000000.25 f=-1 0 0.25 0.5 9 8 7 6 5 4 3 2 1 raw=23 22 21 20 19 18 17 16 15 14 13 12 11 present=1111111111111 targets=2,40,-,8 anomaly=1 stall"},
      {"feature_names with extra columns and non-strings",
       doc(example("n", "[9,0.5,-1,0,0,0,0,0,0,0,0,0,0,1,0]", "[99,6,0,1,1,1,1,1,1,1,1,1,1,2,1]"),
           R"(["new_feature",5,"blocks_per_interval","tx_rate","height_lag","peer_count","latency_ms","bandwidth",)"
           R"("connection_quality","cpu_usage","memory_usage","hash_rate","block_interval_expected_s","is_testnet","is_mainnet"])",
           R"({"mean":[0,0,5,1,1,1,1,1,1,1,1,1,1,1,1]})"),
       "usable skipped=0 | n testnet validator t=1700000000.25 f=-1 0 0 0 0 0 0 0 0 0 0 1 0 raw=0 1 1 1 1 1 1 1 1 1 1 2 1 present=1000000000010 targets=2,40,-,8 anomaly=1 stall"},
      {"feature_names lacks one of ours", doc(example(), R"(["blocks_per_interval","tx_rate"])"),
       "usable skipped=1"},
      {"a repeated feature name: the last column wins",
       doc(example("n", "[0.5,-1,0,0,0,0,0,0,0,0,0,1,0,3]", "[6,0,1,1,1,1,1,1,1,1,1,2,1,7]"),
           kNames.substr(0, kNames.size() - 1) + R"(,"blocks_per_interval"])"),
       "usable skipped=0 | n testnet validator t=1700000000.25 f=3 -1 0 0 0 0 0 0 0 0 0 1 0 raw=7 0 1 1 1 1 1 1 1 1 1 2 1 present=1100000000010 targets=2,40,-,8 anomaly=1 stall"},
      {"imputed: features 0 and raw == mean", doc(example("n", "[0,0,0,0,0,0,0,0,0,0,0,0,0]", "[5,1,1,1,1,1,1,1,1,1,1,1,1]")),
       "usable skipped=0 | n testnet validator t=1700000000.25 f=0 0 0 0 0 0 0 0 0 0 0 0 0 raw=5 1 1 1 1 1 1 1 1 1 1 1 1 present=0000000000000 targets=2,40,-,8 anomaly=1 stall"},
      {"raw missing: the mean stands in", doc(R"({"node_id":"n","features":[0,1,0,0,0,0,0,0,0,0,0,0,0]})"),
       "usable skipped=0 | n unknown  t=0 f=0 1 0 0 0 0 0 0 0 0 0 0 0 raw=5 1 1 1 1 1 1 1 1 1 1 1 1 present=0000000000000 targets=-,-,-,- anomaly=0"},
      {"raw with holes", doc(example("n", kFeatures, R"([null,"x",1,1,1,1,1,1,1,1,1,2])")),
       "usable skipped=0 | n testnet validator t=1700000000.25 f=0.5 -1 0 0 0 0 0 0 0 0 0 1 0 raw=5 1 1 1 1 1 1 1 1 1 1 2 1 present=0000000000010 targets=2,40,-,8 anomaly=1 stall"},
      {"no normalization: raw missing reads 0", doc(R"({"node_id":"n","features":[0,0,0,0,0,0,0,0,0,0,0,0,0]})", kNames, "null"),
       "usable skipped=0 | n unknown  t=0 f=0 0 0 0 0 0 0 0 0 0 0 0 0 raw=0 0 0 0 0 0 0 0 0 0 0 0 0 present=0000000000000 targets=-,-,-,- anomaly=0"},
      {"normalization without mean", doc(example("n", "[0,0,0,0,0,0,0,0,0,0,0,0,0]", "[5,1,1,1,1,1,1,1,1,1,1,1,1]"), kNames, R"({"std":[]})"),
       "usable skipped=0 | n testnet validator t=1700000000.25 f=0 0 0 0 0 0 0 0 0 0 0 0 0 raw=5 1 1 1 1 1 1 1 1 1 1 1 1 present=1111111111111 targets=2,40,-,8 anomaly=1 stall"},
      {"mean not an array", doc(example("n", "[0,0,0,0,0,0,0,0,0,0,0,0,0]", "[5,1,1,1,1,1,1,1,1,1,1,1,1]"), kNames, R"({"mean":5})"),
       "usable skipped=0 | n testnet validator t=1700000000.25 f=0 0 0 0 0 0 0 0 0 0 0 0 0 raw=5 1 1 1 1 1 1 1 1 1 1 1 1 present=1111111111111 targets=2,40,-,8 anomaly=1 stall"},
      {"mean too short and with a string",
       doc(example("n", "[0,0,0,0,0,0,0,0,0,0,0,0,0]", "[5,1,1,1,1,1,1,1,1,1,1,1,1]"), kNames, R"({"mean":[5,"1",1]})"),
       "usable skipped=0 | n testnet validator t=1700000000.25 f=0 0 0 0 0 0 0 0 0 0 0 0 0 raw=5 1 1 1 1 1 1 1 1 1 1 1 1 present=0101111111111 targets=2,40,-,8 anomaly=1 stall"},
      {"the last of two means wins",
       doc(example("n", "[0,0,0,0,0,0,0,0,0,0,0,0,0]", "[5,1,1,1,1,1,1,1,1,1,1,1,1]"), kNames,
           R"({"mean":[0,0,0,0,0,0,0,0,0,0,0,0,0],"mean":[5,1,1,1,1,1,1,1,1,1,1,1,1]})"),
       "usable skipped=0 | n testnet validator t=1700000000.25 f=0 0 0 0 0 0 0 0 0 0 0 0 0 raw=5 1 1 1 1 1 1 1 1 1 1 1 1 present=0000000000000 targets=2,40,-,8 anomaly=1 stall"},
      {"-0.0 against a zero mean",
       doc(example("n", "[-0.0,0,0,0,0,0,0,0,0,0,0,0,0]", "[-0.0,0,0,0,0,0,0,0,0,0,0,0,0]"), kNames,
           R"({"mean":[0,0,0,0,0,0,0,0,0,0,0,0,0]})"),
       "usable skipped=0 | n testnet validator t=1700000000.25 f=-0 0 0 0 0 0 0 0 0 0 0 0 0 raw=-0 0 0 0 0 0 0 0 0 0 0 0 0 present=0000000000000 targets=2,40,-,8 anomaly=1 stall"},
      {"targets not an object", doc(example("n", kFeatures, kRaw, R"(,"targets":[1,2])")),
       "usable skipped=0 | n testnet validator t=1700000000.25 f=0.5 -1 0 0 0 0 0 0 0 0 0 1 0 raw=6 0 1 1 1 1 1 1 1 1 1 2 1 present=1100000000010 targets=-,-,-,- anomaly=1 stall"},
      {"targets of every odd kind",
       doc(example("n", kFeatures, kRaw,
                   R"(,"targets":{"next_blocks":"2","next_transactions":true,"next_latency":0.125,"next_peers":-3,"next_peers":4.5})")),
       "usable skipped=0 | n testnet validator t=1700000000.25 f=0.5 -1 0 0 0 0 0 0 0 0 0 1 0 raw=6 0 1 1 1 1 1 1 1 1 1 2 1 present=1100000000010 targets=-,-,0.125,4.5 anomaly=1 stall"},
      {"anomaly not an object", doc(example("n", kFeatures, kRaw, R"(,"anomaly":true)")),
       "usable skipped=0 | n testnet validator t=1700000000.25 f=0.5 -1 0 0 0 0 0 0 0 0 0 1 0 raw=6 0 1 1 1 1 1 1 1 1 1 2 1 present=1100000000010 targets=2,40,-,8 anomaly=0"},
      {"anomaly active not a bool, kinds mixed",
       doc(example("n", kFeatures, kRaw, R"(,"anomaly":{"active":1,"kinds":["a",2,null,"b"]})")),
       "usable skipped=0 | n testnet validator t=1700000000.25 f=0.5 -1 0 0 0 0 0 0 0 0 0 1 0 raw=6 0 1 1 1 1 1 1 1 1 1 2 1 present=1100000000010 targets=2,40,-,8 anomaly=0 a b"},
      {"anomaly kinds not an array", doc(example("n", kFeatures, kRaw, R"(,"anomaly":{"active":true,"kinds":"stall"})")),
       "usable skipped=0 | n testnet validator t=1700000000.25 f=0.5 -1 0 0 0 0 0 0 0 0 0 1 0 raw=6 0 1 1 1 1 1 1 1 1 1 2 1 present=1100000000010 targets=2,40,-,8 anomaly=1"},
      {"anomaly kinds repeated: the last wins", doc(example("n", kFeatures, kRaw, R"(,"anomaly":{"kinds":["a"],"active":false,"kinds":["b","c"]})")),
       "usable skipped=0 | n testnet validator t=1700000000.25 f=0.5 -1 0 0 0 0 0 0 0 0 0 1 0 raw=6 0 1 1 1 1 1 1 1 1 1 2 1 present=1100000000010 targets=2,40,-,8 anomaly=0 b c"},
      {"a byte-order mark", "\xef\xbb\xbf" + doc(example()),
       "usable skipped=0 | n1 " + kShaped},
      {"bytes after a NUL", doc(example()) + std::string(1, '\0') + "garbage",
       "usable skipped=0 | n1 " + kShaped},
      {"a mix of good and skipped", doc(example("a") + R"(,{"node_id":"b"},7,)" + example("c", "[1]") + "," + example("d")),
       "usable skipped=3 | a " + kShaped + " | d " + kShaped},
  };
}

TEST(TrainingExampleReader, ReadsEveryTableDocumentAsTheDomReaderDid) {
  for (const Row& row : table()) EXPECT_EQ(render(read_training_examples(row.text)), row.expected) << row.name;
}

// The other deliberate difference: nlohmann reads any depth, simdjson stops
// at 1024 levels; such a document is not read (the agent counts it ignored).
// The DOM reader read this one as a usable, empty batch.
TEST(TrainingExampleReader, NestingBeyondSimdjsonsDepthIsNotRead) {
  const std::string deep = std::string(1100, '[') + std::string(1100, ']');
  EXPECT_FALSE(read_training_examples(R"({"kind":"training_examples","examples":[],"x":)" + deep + "}").has_value());
  const std::string shallow = std::string(1000, '[') + std::string(1000, ']');
  EXPECT_EQ(render(read_training_examples(R"({"kind":"training_examples","examples":[],"x":)" + shallow + "}")),
            "usable skipped=0");
}

// Every example the learning processor wrote reads back with the values it
// wrote (checked against the document itself, field by field). Written with
// its `features` (include_features), so they can be checked.
TEST(TrainingExampleReader, ReadsTheLearningProcessorsOutputWhole) {
  nebula::agents::testing::FleetFeed feed(nebula::agents::testing::small_fleet(11), {{"include_features", true}});
  size_t documents = 0, examples = 0, present = 0;
  for (int step = 0; step < 120; ++step) {
    for (const auto& [topic, doc] : nebula::agents::testing::only(feed.step(), {"learning"})) {
      const auto batch = read_training_examples(doc.dump());
      ASSERT_TRUE(batch.has_value());
      ASSERT_TRUE(batch->usable);
      EXPECT_EQ(batch->skipped, 0u);
      ASSERT_EQ(batch->examples.size(), doc["examples"].size());
      ASSERT_EQ(doc["feature_names"].size(), nebula::agents::kFeatureCount);  // the contract order, so index i is ours
      const auto& mean = doc["normalization"]["mean"];
      for (size_t k = 0; k < batch->examples.size(); ++k) {
        const TrainingExample& e = batch->examples[k];
        const auto& d = doc["examples"][k];
        EXPECT_EQ(e.node_id, d["node_id"].get<std::string>());
        EXPECT_EQ(e.chain_id, d["chain_id"].get<std::string>());
        EXPECT_EQ(e.node_type, d["node_type"].get<std::string>());
        EXPECT_EQ(e.timestamp, d["timestamp"].get<double>());
        for (size_t i = 0; i < nebula::agents::kFeatureCount; ++i) {
          const double f = d["features"][i].get<double>(), r = d["raw"][i].get<double>();
          EXPECT_EQ(e.features[i], static_cast<float>(std::clamp(f, -10.0, 10.0)));
          EXPECT_EQ(e.raw[i], r);
          EXPECT_EQ(e.present[i], !(f == 0.0 && r == mean[i].get<double>()));
          present += e.present[i];
        }
        const auto& t = d["targets"];
        EXPECT_EQ(e.next_blocks, t["next_blocks"].is_number() ? std::optional(t["next_blocks"].get<double>()) : std::nullopt);
        EXPECT_EQ(e.next_latency, t["next_latency"].is_number() ? std::optional(t["next_latency"].get<double>()) : std::nullopt);
        EXPECT_EQ(e.anomalous, d["anomaly"]["active"].get<bool>());
        EXPECT_EQ(e.anomaly_kinds.size(), d["anomaly"]["kinds"].size());
      }
      ++documents;
      examples += batch->examples.size();
    }
  }
  EXPECT_GT(documents, 100u);
  EXPECT_GT(examples, 3000u);
  EXPECT_GT(present, examples);  // real values, not only imputed ones
}

// The learning processor's default leaves `features` out (#15): the reader
// computes them from `raw` and the insight's normalization, and must get what
// the producer would have written, to the last bit, for every example.
TEST(TrainingExampleReader, FeaturesComputedFromRawAreTheOnesTheProducerWrites) {
  nebula::agents::testing::FleetFeed feed(nebula::agents::testing::small_fleet(11), {{"include_features", true}});
  size_t examples = 0, nonzero = 0;
  for (int step = 0; step < 120; ++step) {
    for (const auto& [topic, doc] : nebula::agents::testing::only(feed.step(), {"learning"})) {
      nlohmann::json without = doc;
      for (auto& e : without["examples"]) e.erase("features");
      const auto written = read_training_examples(doc.dump());
      const auto computed = read_training_examples(without.dump());
      ASSERT_TRUE(written && computed);
      ASSERT_EQ(computed->skipped, 0u);
      ASSERT_EQ(computed->examples.size(), written->examples.size());
      for (size_t k = 0; k < written->examples.size(); ++k) {
        const TrainingExample& w = written->examples[k];
        const TrainingExample& c = computed->examples[k];
        for (size_t i = 0; i < nebula::agents::kFeatureCount; ++i) {
          ASSERT_EQ(std::bit_cast<uint32_t>(c.features[i]), std::bit_cast<uint32_t>(w.features[i]))
              << w.node_id << " feature " << i << ": " << c.features[i] << " != " << w.features[i];
          ASSERT_EQ(c.present[i], w.present[i]) << w.node_id << " feature " << i;
          ASSERT_EQ(c.raw[i], w.raw[i]);
          nonzero += w.features[i] != 0;
        }
        ++examples;
      }
    }
  }
  EXPECT_GT(examples, 3000u);
  EXPECT_GT(nonzero, examples);  // real values, not only imputed ones
}

// An example without `features` whose raw value has no usable scale is skipped,
// not trained on with a made-up value.
TEST(TrainingExampleReader, AnExampleWithoutFeaturesNeedsTheScales) {
  const std::string example = R"({"node_id":"n","raw":[5,1,1,1,1,1,1,1,1,1,1,1,1]})";
  const std::string mean = "[4,1,1,1,1,1,1,1,1,1,1,1,1]";
  auto read = [&](const std::string& normalization) {
    return render(read_training_examples(R"({"kind":"training_examples","examples":[)" + example +
                                         R"(],"normalization":)" + normalization + "}"));
  };
  EXPECT_EQ(read(R"({"mean":)" + mean + R"(,"std":[2,1,1,1,1,1,1,1,1,1,1,1,1]})"),
            "usable skipped=0 | n unknown  t=0 f=0.5 0 0 0 0 0 0 0 0 0 0 0 0 raw=5 1 1 1 1 1 1 1 1 1 1 1 1 "
            "present=1000000000000 targets=-,-,-,- anomaly=0");
  EXPECT_EQ(read(R"({"mean":)" + mean + "}"), "usable skipped=1");
  EXPECT_EQ(read(R"({"mean":)" + mean + R"(,"std":[0,1,1,1,1,1,1,1,1,1,1,1,1]})"), "usable skipped=1");
  EXPECT_EQ(read(R"({"mean":)" + mean + R"(,"std":[2,1,1]})"), "usable skipped=1");
}

}  // namespace
