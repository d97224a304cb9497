#include "normalizer.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

namespace nebula::learning {
namespace {
constexpr const char* kFormat = "nebula.learning.normalization";
constexpr int kVersion = 1;
}  // namespace

void Welford::add(double x) {
  count += 1;
  const double delta = x - mean;
  mean += delta / count;
  m2 += delta * (x - mean);
}

void Normalizer::update(const FeatureVector& raw) {
  if (frozen()) return;
  for (size_t i = 0; i < kFeatureCount; ++i)
    if (std::isfinite(raw[i])) stats_[i].add(raw[i]);
  ++samples_;
}

double Normalizer::divisor(size_t i) const {
  const Welford& w = stats_[i];
  if (w.count < 2) return 1.0;
  const double sd = std::sqrt(w.m2 / w.count);
  return sd > 1e-12 ? sd : 1.0;
}

FeatureVector Normalizer::impute(const FeatureVector& raw) const {
  FeatureVector out = raw;
  for (size_t i = 0; i < kFeatureCount; ++i)
    if (!std::isfinite(out[i])) out[i] = stats_[i].mean;
  return out;
}

FeatureVector Normalizer::normalise(const FeatureVector& raw) const {
  FeatureVector out = impute(raw);
  for (size_t i = 0; i < kFeatureCount; ++i) {
    out[i] = (out[i] - stats_[i].mean) / divisor(i);
    if (out[i] == 0) out[i] = 0;  // no -0 in JSON
  }
  return out;
}

nlohmann::json Normalizer::published() const {
  nlohmann::json mean = nlohmann::json::array(), sd = nlohmann::json::array();
  for (size_t i = 0; i < kFeatureCount; ++i) {
    mean.push_back(stats_[i].mean);
    sd.push_back(divisor(i));
  }
  return {{"mean", mean}, {"std", sd}, {"count", samples_}};
}

nlohmann::json Normalizer::to_json() const {
  nlohmann::json names = nlohmann::json::array(), features = nlohmann::json::array();
  for (size_t i = 0; i < kFeatureCount; ++i) {
    names.push_back(kFeatureNames[i]);
    features.push_back({{"count", stats_[i].count}, {"mean", stats_[i].mean}, {"m2", stats_[i].m2}});
  }
  return {{"format", kFormat}, {"version", kVersion}, {"feature_names", names}, {"samples", samples_},
          {"features", features}};
}

void Normalizer::from_json(const nlohmann::json& doc) {
  const auto bad = [](const std::string& why) { throw std::runtime_error("normalisation state: " + why); };
  if (!doc.is_object() || doc.value("format", "") != kFormat) bad("not a " + std::string(kFormat) + " document");
  if (doc.value("version", 0) != kVersion) bad("unsupported version " + doc.value("version", nlohmann::json()).dump());
  const auto& names = doc.at("feature_names");
  const auto& features = doc.at("features");
  if (!names.is_array() || names.size() != kFeatureCount || !features.is_array() || features.size() != kFeatureCount)
    bad("expected " + std::to_string(kFeatureCount) + " features");
  std::array<Welford, kFeatureCount> loaded{};
  for (size_t i = 0; i < kFeatureCount; ++i) {
    if (names[i] != kFeatureNames[i]) bad("feature " + std::to_string(i) + " is " + names[i].dump());
    const auto& f = features[i];
    loaded[i] = {f.at("count").get<double>(), f.at("mean").get<double>(), f.at("m2").get<double>()};
    if (!(loaded[i].count >= 0) || !std::isfinite(loaded[i].mean) || !(loaded[i].m2 >= 0) || !std::isfinite(loaded[i].m2))
      bad("feature " + std::string(kFeatureNames[i]) + " has impossible statistics");
  }
  const auto samples = doc.at("samples").get<uint64_t>();
  stats_ = loaded;  // only after every check passed: a bad file leaves us fresh
  samples_ = samples;
}

}  // namespace nebula::learning
