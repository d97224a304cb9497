// The agents' training-example reader (simdjson, no DOM) against a table of
// documents, well-formed, malformed and odd, each with the result the
// nlohmann DOM reader it replaced gave; and against the learning processor's
// real output on a simulated fleet.
#include <gtest/gtest.h>

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

// The DOM reader this replaces: nlohmann parses, parse_training_examples walks.
std::string render_dom(std::string_view text) {
  const auto doc = nlohmann::json::parse(text, nullptr, false);
  if (doc.is_discarded()) return "not json";
  try {
    return render(nebula::agents::parse_training_examples(doc));
  } catch (const std::exception&) {
    return "throws";
  }
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

struct Row {
  const char* name;
  std::string text;
};

std::vector<Row> table() {
  return {
      {"a producer-shaped example", doc(example())},
      {"two examples", doc(example("a") + "," + example("b"))},
      {"an empty batch", doc("")},
      {"not JSON: truncated", doc(example()).substr(0, 40)},
      {"not JSON: empty text", ""},
      {"not JSON: trailing comma", R"({"kind":"training_examples","examples":[],})"},
      {"not JSON: bytes after the document", doc(example()) + " x"},
      {"not JSON: a bad literal", R"({"kind":"training_examples","generated_at":tru,"examples":[]})"},
      {"not JSON: 1e400", R"({"kind":"training_examples","examples":[],"generated_at":1e400})"},
      {"not JSON: bad UTF-8", "{\"kind\":\"training_examples\",\"examples\":[],\"x\":\"\xff\"}"},
      {"not an object", "[1,2]"},
      {"a bare string", "\"training_examples\""},
      {"no kind", R"({"examples":[]})"},
      {"another kind", R"({"kind":"patterns","examples":[]})"},
      {"kind is a number", R"({"kind":5,"examples":[]})"},
      {"the last of two kinds wins", R"({"kind":"x","kind":"training_examples","examples":[]})"},
      {"no examples", R"({"kind":"training_examples"})"},
      {"examples is an object", R"({"kind":"training_examples","examples":{}})"},
      {"examples that are not objects", doc(R"(1,"x",null,[],true)")},
      {"node_id missing", doc(R"({"features":[0,0,0,0,0,0,0,0,0,0,0,0,0]})")},
      {"node_id a number", doc(R"({"node_id":5,"features":[0,0,0,0,0,0,0,0,0,0,0,0,0]})")},
      {"the last node_id wins", doc(R"({"node_id":"a","node_id":7,"features":[0,0,0,0,0,0,0,0,0,0,0,0,0]})")},
      {"features missing", doc(R"({"node_id":"n"})")},
      {"features a string", doc(R"({"node_id":"n","features":"x"})")},
      {"features too short", doc(example("n", "[1,2]"))},
      {"a feature is a string", doc(example("n", R"([0,0,"1",0,0,0,0,0,0,0,0,0,0])"))},
      {"a feature is null", doc(example("n", "[0,0,null,0,0,0,0,0,0,0,0,0,0]"))},
      {"a feature is a bool", doc(example("n", "[0,0,true,0,0,0,0,0,0,0,0,0,0]"))},
      {"features are clipped to +-10", doc(example("n", "[100,-100,1e300,-0.0,10,-10,0,0,0,0,0,0,0]"))},
      {"integer features, 64-bit extremes", doc(example("n", "[18446744073709551615,-9223372036854775808,0,0,0,0,0,0,0,0,0,0,0]"))},
      {"an integer beyond 64 bits", doc(example("n", "[100000000000000000000,0,0,0,0,0,0,0,0,0,0,0,0]"))},
      {"a big integer timestamp", doc(R"({"node_id":"n","features":[0,0,0,0,0,0,0,0,0,0,0,0,0],"timestamp":123456789012345678901234})")},
      {"minimal example: defaults", doc(R"({"node_id":"n","features":[0,0,0,0,0,0,0,0,0,0,0,0,0]})")},
      {"chain_id, node_type, timestamp of the wrong type",
       doc(R"({"node_id":"n","chain_id":1,"node_type":[],"timestamp":"now","features":[0,0,0,0,0,0,0,0,0,0,0,0,0]})")},
      {"escaped and non-ASCII node ids", doc(example(R"(caf\u00e9 \ud83d\ude00 \"q\")") + "," + example("\xc3\xa9t\xc3\xa9"))},
      {"feature_names absent: contract order", R"({"kind":"training_examples","examples":[)" + example() + "]}"},
      {"feature_names not an array: contract order", doc(example(), R"("blocks_per_interval")")},
      {"feature_names permuted",
       doc(example("n", "[1,2,3,4,5,6,7,8,9,0.5,0.25,0,-1]", "[11,12,13,14,15,16,17,18,19,20,21,22,23]"),
           R"(["is_mainnet","is_testnet","block_interval_expected_s","hash_rate","memory_usage","cpu_usage",)"
           R"("connection_quality","bandwidth","latency_ms","peer_count","height_lag","tx_rate","blocks_per_interval"])",
           R"({"mean":[1,2,3,4,5,6,7,8,9,10,11,12,13]})")},
      {"feature_names with extra columns and non-strings",
       doc(example("n", "[9,0.5,-1,0,0,0,0,0,0,0,0,0,0,1,0]", "[99,6,0,1,1,1,1,1,1,1,1,1,1,2,1]"),
           R"(["new_feature",5,"blocks_per_interval","tx_rate","height_lag","peer_count","latency_ms","bandwidth",)"
           R"("connection_quality","cpu_usage","memory_usage","hash_rate","block_interval_expected_s","is_testnet","is_mainnet"])",
           R"({"mean":[0,0,5,1,1,1,1,1,1,1,1,1,1,1,1]})")},
      {"feature_names lacks one of ours", doc(example(), R"(["blocks_per_interval","tx_rate"])")},
      {"a repeated feature name: the last column wins",
       doc(example("n", "[0.5,-1,0,0,0,0,0,0,0,0,0,1,0,3]", "[6,0,1,1,1,1,1,1,1,1,1,2,1,7]"),
           kNames.substr(0, kNames.size() - 1) + R"(,"blocks_per_interval"])")},
      {"imputed: features 0 and raw == mean", doc(example("n", "[0,0,0,0,0,0,0,0,0,0,0,0,0]", "[5,1,1,1,1,1,1,1,1,1,1,1,1]"))},
      {"raw missing: the mean stands in", doc(R"({"node_id":"n","features":[0,1,0,0,0,0,0,0,0,0,0,0,0]})")},
      {"raw with holes", doc(example("n", kFeatures, R"([null,"x",1,1,1,1,1,1,1,1,1,2])"))},
      {"no normalization: raw missing reads 0", doc(R"({"node_id":"n","features":[0,0,0,0,0,0,0,0,0,0,0,0,0]})", kNames, "null")},
      {"normalization without mean", doc(example("n", "[0,0,0,0,0,0,0,0,0,0,0,0,0]", "[5,1,1,1,1,1,1,1,1,1,1,1,1]"), kNames, R"({"std":[]})")},
      {"mean not an array", doc(example("n", "[0,0,0,0,0,0,0,0,0,0,0,0,0]", "[5,1,1,1,1,1,1,1,1,1,1,1,1]"), kNames, R"({"mean":5})")},
      {"mean too short and with a string",
       doc(example("n", "[0,0,0,0,0,0,0,0,0,0,0,0,0]", "[5,1,1,1,1,1,1,1,1,1,1,1,1]"), kNames, R"({"mean":[5,"1",1]})")},
      {"the last of two means wins",
       doc(example("n", "[0,0,0,0,0,0,0,0,0,0,0,0,0]", "[5,1,1,1,1,1,1,1,1,1,1,1,1]"), kNames,
           R"({"mean":[0,0,0,0,0,0,0,0,0,0,0,0,0],"mean":[5,1,1,1,1,1,1,1,1,1,1,1,1]})")},
      {"-0.0 against a zero mean",
       doc(example("n", "[-0.0,0,0,0,0,0,0,0,0,0,0,0,0]", "[-0.0,0,0,0,0,0,0,0,0,0,0,0,0]"), kNames,
           R"({"mean":[0,0,0,0,0,0,0,0,0,0,0,0,0]})")},
      {"targets not an object", doc(example("n", kFeatures, kRaw, R"(,"targets":[1,2])"))},
      {"targets of every odd kind",
       doc(example("n", kFeatures, kRaw,
                   R"(,"targets":{"next_blocks":"2","next_transactions":true,"next_latency":0.125,"next_peers":-3,"next_peers":4.5})"))},
      {"anomaly not an object", doc(example("n", kFeatures, kRaw, R"(,"anomaly":true)"))},
      {"anomaly active not a bool, kinds mixed",
       doc(example("n", kFeatures, kRaw, R"(,"anomaly":{"active":1,"kinds":["a",2,null,"b"]})"))},
      {"anomaly kinds not an array", doc(example("n", kFeatures, kRaw, R"(,"anomaly":{"active":true,"kinds":"stall"})"))},
      {"anomaly kinds repeated: the last wins", doc(example("n", kFeatures, kRaw, R"(,"anomaly":{"kinds":["a"],"active":false,"kinds":["b","c"]})"))},
      {"a byte-order mark", "\xef\xbb\xbf" + doc(example())},
      {"bytes after a NUL", doc(example()) + std::string(1, '\0') + "garbage"},
      {"a mix of good and skipped", doc(example("a") + R"(,{"node_id":"b"},7,)" + example("c", "[1]") + "," + example("d"))},
  };
}

TEST(TrainingExampleReader, ReadsEveryTableDocumentAsTheDomReaderDid) {
  for (const Row& row : table()) {
    const std::string dom = render_dom(row.text);
    const std::string fast = render(read_training_examples(row.text));
    // The one deliberate difference: a non-string kind made the DOM reader throw.
    const std::string expected = dom == "throws" ? "unusable skipped=0" : dom;
    EXPECT_EQ(fast, expected) << row.name;
    std::printf("%s\n  %s\n", row.name, dom.c_str());
  }
}

// The other deliberate difference: nlohmann reads any depth, simdjson stops
// at 1024 levels; such a document is not read (the agent counts it ignored).
TEST(TrainingExampleReader, NestingBeyondSimdjsonsDepthIsNotRead) {
  const std::string deep = std::string(1100, '[') + std::string(1100, ']');
  const std::string text = R"({"kind":"training_examples","examples":[],"x":)" + deep + "}";
  EXPECT_EQ(render_dom(text), "usable skipped=0");
  EXPECT_FALSE(read_training_examples(text).has_value());
}

TEST(TrainingExampleReader, ReadsTheLearningProcessorsOutputAsTheDomReaderDid) {
  nebula::agents::testing::FleetFeed feed(nebula::agents::testing::small_fleet(11));
  size_t documents = 0, examples = 0;
  for (int step = 0; step < 120; ++step) {
    for (const auto& [topic, doc] : nebula::agents::testing::only(feed.step(), {"learning"})) {
      const std::string text = doc.dump();
      const auto fast = read_training_examples(text);
      ASSERT_TRUE(fast.has_value());
      EXPECT_EQ(render(fast), render_dom(text));
      ++documents;
      examples += fast->examples.size();
    }
  }
  EXPECT_GT(documents, 100u);
  EXPECT_GT(examples, 3000u);
}

}  // namespace
