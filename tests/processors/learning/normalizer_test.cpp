// Welford scales against a direct two-pass computation, and their persisted form.
#include <cmath>
#include <vector>

#include <gtest/gtest.h>

#include "normalizer.hpp"

using namespace nebula::learning;

namespace {
constexpr double NaN = std::numeric_limits<double>::quiet_NaN();

FeatureVector vec(double latency, double peers) {
  FeatureVector v;
  v.fill(NaN);
  v[kLatencyMs] = latency;
  v[kPeerCount] = peers;
  return v;
}
}  // namespace

TEST(Normalizer, MatchesTwoPassMeanAndPopulationStd) {
  const std::vector<double> latency{12.5, 40, 33.3, 7, 100, 58.25, 21};
  Normalizer n;
  for (double x : latency) n.update(vec(x, NaN));
  double mean = 0;
  for (double x : latency) mean += x;
  mean /= latency.size();
  double var = 0;
  for (double x : latency) var += (x - mean) * (x - mean);
  const double sd = std::sqrt(var / latency.size());
  EXPECT_NEAR(n.mean(kLatencyMs), mean, 1e-12);
  EXPECT_NEAR(n.divisor(kLatencyMs), sd, 1e-12);
  EXPECT_EQ(n.samples(), latency.size());
  EXPECT_NEAR(n.normalise(vec(40, NaN))[kLatencyMs], (40 - mean) / sd, 1e-12);
}

TEST(Normalizer, MissingValuesAreImputedWithTheMeanAndNormaliseToZero) {
  Normalizer n;
  n.update(vec(10, 4));
  n.update(vec(30, NaN));  // basic node: no peers
  EXPECT_EQ(n.stats(kPeerCount).count, 1);
  EXPECT_DOUBLE_EQ(n.mean(kLatencyMs), 20);
  const auto imputed = n.impute(vec(NaN, NaN));
  EXPECT_DOUBLE_EQ(imputed[kLatencyMs], 20);
  EXPECT_DOUBLE_EQ(imputed[kPeerCount], 4);
  const auto norm = n.normalise(vec(NaN, NaN));
  EXPECT_EQ(norm[kLatencyMs], 0.0);
  EXPECT_EQ(norm[kPeerCount], 0.0);
  EXPECT_EQ(norm[kHashRate], 0.0);  // never seen at all: mean 0, divisor 1
}

TEST(Normalizer, ConstantFeatureDividesByOne) {
  Normalizer n;
  for (int i = 0; i < 5; ++i) n.update(vec(7, 3));
  EXPECT_DOUBLE_EQ(n.divisor(kLatencyMs), 1.0);
  EXPECT_DOUBLE_EQ(n.normalise(vec(9, 3))[kLatencyMs], 2.0);
}

TEST(Normalizer, FreezesAfterN) {
  Normalizer n(2);
  n.update(vec(10, 1));
  n.update(vec(20, 1));
  EXPECT_TRUE(n.frozen());
  n.update(vec(1000, 1));
  EXPECT_DOUBLE_EQ(n.mean(kLatencyMs), 15);
  EXPECT_EQ(n.samples(), 2u);
}

TEST(Normalizer, PublishedScalesAreTheDivisorsUsed) {
  Normalizer n;
  n.update(vec(10, 1));
  n.update(vec(30, 1));
  const auto p = n.published();
  EXPECT_EQ(p["count"], 2);
  EXPECT_DOUBLE_EQ(p["mean"][kLatencyMs].get<double>(), 20);
  EXPECT_DOUBLE_EQ(p["std"][kLatencyMs].get<double>(), 10);
  EXPECT_DOUBLE_EQ(p["std"][kPeerCount].get<double>(), 1);  // constant: 1
  EXPECT_EQ(p["mean"].size(), kFeatureCount);
}

TEST(Normalizer, JsonRoundTripIsExact) {
  Normalizer a;
  for (double x : {1.5, 2.25, 9.0, 4.0}) a.update(vec(x, x * 2));
  Normalizer b;
  b.from_json(nlohmann::json::parse(a.to_json().dump()));
  EXPECT_EQ(b.samples(), a.samples());
  for (size_t i = 0; i < kFeatureCount; ++i) {
    EXPECT_DOUBLE_EQ(b.mean(i), a.mean(i));
    EXPECT_DOUBLE_EQ(b.divisor(i), a.divisor(i));
  }
}

TEST(Normalizer, RejectsForeignOrDamagedStateAndStaysFresh) {
  Normalizer good;
  good.update(vec(1, 1));
  auto doc = good.to_json();
  Normalizer n;
  auto renamed = doc;
  renamed["feature_names"][3] = "peers";
  EXPECT_THROW(n.from_json(renamed), std::exception);
  auto negative = doc;
  negative["features"][4]["m2"] = -1;
  EXPECT_THROW(n.from_json(negative), std::exception);
  EXPECT_THROW(n.from_json(nlohmann::json::array()), std::exception);
  EXPECT_THROW(n.from_json({{"format", "nebula.learning.normalization"}, {"version", 1}}), std::exception);
  EXPECT_EQ(n.samples(), 0u);
}
