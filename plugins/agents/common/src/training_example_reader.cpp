// Training examples straight from an insight's text: simdjson parses it into
// its tape (validating it fully, like nlohmann would) and the tape is walked
// once into TrainingExamples. Building a nlohmann DOM of every 64 KB insight
// and walking that cost ~14 % of the pool's CPU (perf, #15).
//
// Rules read as the DOM reader's did, including nlohmann's "the last of a
// duplicated key wins": objects are walked field by field and a later field
// overwrites an earlier one, never looked up by key.
#include <algorithm>

#include "nebula_insights/json_tape.hpp"
#include "nebula_agents/training_examples.hpp"

namespace nebula::agents {

namespace {

using insights::array_of;
using insights::is_string;
using insights::number_of;
using insights::object_of;
using insights::parse_json_tape;
using insights::string_view_of;
using simdjson::dom::element;
using simdjson::dom::element_type;

std::string string_of(const element& e) { return std::string(string_view_of(e)); }

// One of the producer's per-feature arrays, read into our feature order.
struct FeatureRow {
  std::array<double, kFeatureCount> value{};
  std::array<bool, kFeatureCount> ok{};  // a finite number sat in that feature's column
};

// Which of our features each of the producer's columns holds (-1: none).
// No (or no array of) feature_names: the contract order.
std::vector<int> feature_of_column(const element* names) {
  std::vector<int> feature(kFeatureCount);
  if (!names || names->type() != element_type::ARRAY) {
    for (size_t i = 0; i < kFeatureCount; ++i) feature[i] = static_cast<int>(i);
    return feature;
  }
  std::array<int, kFeatureCount> column{};  // as the DOM reader: a repeated name's last column wins
  column.fill(-1);
  int j = 0;
  for (const element n : array_of(*names)) {
    if (is_string(n)) {
      const std::string_view name = string_view_of(n);
      for (size_t i = 0; i < kFeatureCount; ++i)
        if (kFeatureNames[i] == name) column[i] = j;
    }
    ++j;
  }
  feature.assign(static_cast<size_t>(j), -1);
  for (size_t i = 0; i < kFeatureCount; ++i)
    if (column[i] >= 0) feature[static_cast<size_t>(column[i])] = static_cast<int>(i);
  return feature;
}

FeatureRow read_row(const element* arr, const std::vector<int>& feature) {
  FeatureRow row;
  if (!arr || arr->type() != element_type::ARRAY) return row;
  size_t j = 0;
  for (const element v : array_of(*arr)) {
    if (j >= feature.size()) break;
    const int i = feature[j++];
    if (i < 0) continue;
    if (const auto d = number_of(v)) {
      row.value[static_cast<size_t>(i)] = *d;
      row.ok[static_cast<size_t>(i)] = true;
    }
  }
  return row;
}

// The example's fields, the last of each name (absent: nullopt).
struct ExampleFields {
  std::optional<element> node_id, chain_id, node_type, timestamp, features, raw, targets, anomaly;
};

ExampleFields fields_of(const simdjson::dom::object& obj) {
  ExampleFields f;
  for (const auto field : obj) {
    const std::string_view k = field.key;
    if (k == "node_id") {
      f.node_id = field.value;
    } else if (k == "chain_id") {
      f.chain_id = field.value;
    } else if (k == "node_type") {
      f.node_type = field.value;
    } else if (k == "timestamp") {
      f.timestamp = field.value;
    } else if (k == "features") {
      f.features = field.value;
    } else if (k == "raw") {
      f.raw = field.value;
    } else if (k == "targets") {
      f.targets = field.value;
    } else if (k == "anomaly") {
      f.anomaly = field.value;
    }
  }
  return f;
}

void read_targets(const element& targets, TrainingExample& t) {
  if (targets.type() != element_type::OBJECT) return;
  for (const auto field : object_of(targets)) {
    const std::string_view k = field.key;
    if (k == "next_blocks") t.next_blocks = number_of(field.value);
    else if (k == "next_transactions") t.next_transactions = number_of(field.value);
    else if (k == "next_latency") t.next_latency = number_of(field.value);
    else if (k == "next_peers") t.next_peers = number_of(field.value);
  }
}

void read_anomaly(const element& anomaly, TrainingExample& t) {
  if (anomaly.type() != element_type::OBJECT) return;
  for (const auto field : object_of(anomaly)) {
    const std::string_view k = field.key;
    if (k == "active") {
      t.anomalous = field.value.type() == element_type::BOOL && field.value.get_bool().value_unsafe();
    } else if (k == "kinds") {
      t.anomaly_kinds.clear();
      if (field.value.type() != element_type::ARRAY) continue;
      for (const element kind : array_of(field.value))
        if (is_string(kind)) t.anomaly_kinds.push_back(string_of(kind));
    }
  }
}

// The insight's normalization: each feature's mean and divisor.
struct Scales {
  FeatureRow mean, std;
};

// An example without `features` (the producer's default since #15): the
// normalised values from `raw` and the insight's scales, the producer's own
// arithmetic, so they equal what it would have written to the last bit
// (shortest round-trip text both ways). A feature without a raw value or a
// usable scale stays not ok.
FeatureRow normalised(const FeatureRow& raw, const Scales& scales) {
  FeatureRow row;
  for (size_t i = 0; i < kFeatureCount; ++i) {
    if (!raw.ok[i] || !scales.mean.ok[i] || !scales.std.ok[i] || scales.std.value[i] == 0) continue;
    double v = (raw.value[i] - scales.mean.value[i]) / scales.std.value[i];
    if (v == 0) v = 0;  // the producer writes no -0
    row.value[i] = v;
    row.ok[i] = true;
  }
  return row;
}

// nullopt: skipped (no string node_id, or a feature that is not a finite number).
std::optional<TrainingExample> read_example(const element& e, const std::vector<int>& feature, const Scales& scales) {
  if (e.type() != element_type::OBJECT) return std::nullopt;
  const ExampleFields f = fields_of(object_of(e));
  if (!f.node_id || !is_string(*f.node_id) || (!f.features && !f.raw)) return std::nullopt;
  const FeatureRow raw = read_row(f.raw ? &*f.raw : nullptr, feature);
  const FeatureRow features = f.features ? read_row(&*f.features, feature) : normalised(raw, scales);
  const FeatureRow& mean = scales.mean;
  TrainingExample t;
  for (size_t i = 0; i < kFeatureCount; ++i) {
    if (!features.ok[i]) return std::nullopt;
    const double v = features.value[i];
    // Clip: a single wild value must not blow up a small network.
    t.features[i] = static_cast<float>(std::clamp(v, -10.0, 10.0));
    t.raw[i] = raw.ok[i] ? raw.value[i] : mean.value[i];
    // The producer imputes a missing value with its mean (features == 0,
    // raw == mean exactly); a real sample hitting the mean exactly is rare.
    t.present[i] = raw.ok[i] && !(v == 0.0 && mean.ok[i] && raw.value[i] == mean.value[i]);
  }
  t.node_id = string_of(*f.node_id);
  t.chain_id = f.chain_id && is_string(*f.chain_id) ? string_of(*f.chain_id) : "unknown";
  t.node_type = f.node_type && is_string(*f.node_type) ? string_of(*f.node_type) : "";
  t.timestamp = f.timestamp ? number_of(*f.timestamp).value_or(0.0) : 0.0;
  if (f.targets) read_targets(*f.targets, t);
  if (f.anomaly) read_anomaly(*f.anomaly, t);
  return t;
}

// The normalization's "mean" and "std" rows (the last of each name).
Scales scales_of(const element* normalization, const std::vector<int>& feature) {
  std::optional<element> mean, sd;
  if (normalization && normalization->type() == element_type::OBJECT)
    for (const auto field : object_of(*normalization)) {
      if (field.key == "mean") mean = field.value;
      else if (field.key == "std") sd = field.value;
    }
  return {read_row(mean ? &*mean : nullptr, feature), read_row(sd ? &*sd : nullptr, feature)};
}

ParsedBatch read_document(const element& doc) {
  ParsedBatch out;
  if (doc.type() != element_type::OBJECT) return out;
  std::optional<element> kind, examples, names, normalization;
  for (const auto field : object_of(doc)) {
    const std::string_view k = field.key;
    if (k == "kind") kind = field.value;
    else if (k == "examples") examples = field.value;
    else if (k == "feature_names") names = field.value;
    else if (k == "normalization") normalization = field.value;
  }
  // A kind that is not a string is not training_examples (the DOM reader threw).
  if (!kind || !is_string(*kind) || string_view_of(*kind) != "training_examples") return out;
  if (!examples || examples->type() != element_type::ARRAY) return out;
  out.usable = true;
  const auto feature = feature_of_column(names ? &*names : nullptr);
  const Scales scales = scales_of(normalization ? &*normalization : nullptr, feature);
  for (const element e : array_of(*examples)) {
    if (auto t = read_example(e, feature, scales)) out.examples.push_back(std::move(*t));
    else ++out.skipped;
  }
  return out;
}

}  // namespace

std::optional<ParsedBatch> read_training_examples(std::string_view json) {
  const auto root = parse_json_tape(json);
  if (!root) return std::nullopt;
  return read_document(*root);
}

}  // namespace nebula::agents
