// The sketch against exact sorted computation on 100k samples.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "kll_sketch.hpp"

using nebula::network_monitor::KllSketch;

namespace {

constexpr size_t kSamples = 100'000;
const double kQuantiles[] = {0.01, 0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95, 0.99};

// How far q is from the true rank range [#(x < v), #(x <= v)] / n of v.
double rank_error(const std::vector<double>& sorted, double v, double q) {
  const double n = static_cast<double>(sorted.size());
  const double lo = static_cast<double>(std::lower_bound(sorted.begin(), sorted.end(), v) - sorted.begin()) / n;
  const double hi = static_cast<double>(std::upper_bound(sorted.begin(), sorted.end(), v) - sorted.begin()) / n;
  return q < lo ? lo - q : q > hi ? q - hi : 0.0;
}

void expect_within_bound(const KllSketch& sketch, std::vector<double> data, const char* what) {
  std::sort(data.begin(), data.end());
  const double bound = KllSketch::rank_error(sketch.k());
  double worst = 0;
  for (double q : kQuantiles) {
    const double err = rank_error(data, sketch.quantile(q), q);
    worst = std::max(worst, err);
    EXPECT_LE(err, bound) << what << ": q=" << q << " estimate=" << sketch.quantile(q);
  }
  EXPECT_EQ(sketch.count(), data.size());
  EXPECT_EQ(sketch.min(), data.front());
  EXPECT_EQ(sketch.max(), data.back());
  ::testing::Test::RecordProperty(std::string(what) + "_worst_rank_error_ppm", static_cast<int>(worst * 1e6));
}

std::vector<double> generate(const char* kind, std::mt19937_64& rng) {
  std::vector<double> v(kSamples);
  std::uniform_real_distribution<double> uniform(0, 1000);
  std::lognormal_distribution<double> latency(3.5, 0.8);  // ~33 ms median, long tail
  std::uniform_int_distribution<int> peers(0, 50);        // many ties
  for (size_t i = 0; i < kSamples; ++i) {
    std::string_view k = kind;
    if (k == "uniform") v[i] = uniform(rng);
    else if (k == "latency") v[i] = latency(rng);
    else if (k == "peers") v[i] = peers(rng);
    else v[i] = static_cast<double>(i);  // "sorted": the classic worst case for naive samplers
  }
  return v;
}

}  // namespace

TEST(KllSketch, QuantilesWithinTheDocumentedBoundOn100kSamples) {
  std::mt19937_64 rng(42);
  for (const char* kind : {"uniform", "latency", "peers", "sorted"}) {
    auto data = generate(kind, rng);
    KllSketch sketch(200);
    for (double x : data) sketch.insert(x);
    expect_within_bound(sketch, data, kind);
  }
}

TEST(KllSketch, MemoryIsCapped) {
  KllSketch sketch(200);
  for (size_t i = 0; i < 1'000'000; ++i) sketch.insert(static_cast<double>(i % 7919));
  EXPECT_LE(sketch.retained(), 3u * 200u + 2u * 64u);
  EXPECT_NEAR(KllSketch::rank_error(200), 0.0133, 0.0002);
}

TEST(KllSketch, MergedSketchesKeepTheBound) {
  std::mt19937_64 rng(7);
  std::lognormal_distribution<double> latency(3.0, 1.0);
  std::vector<double> all;
  KllSketch a(200), b(200);
  for (size_t i = 0; i < kSamples; ++i) {
    const double x = latency(rng) + (i % 2 ? 100 : 0);  // two different halves
    all.push_back(x);
    (i % 2 ? a : b).insert(x);
  }
  a.merge(b);
  expect_within_bound(a, all, "merged");
}

TEST(KllSketch, SmallStreamsAreExactAndRunsAreRepeatable) {
  KllSketch s(200);
  EXPECT_TRUE(std::isnan(s.quantile(0.5)));
  for (int i = 1; i <= 100; ++i) s.insert(i);
  s.insert(std::nan(""));
  EXPECT_EQ(s.count(), 100u);
  EXPECT_EQ(s.quantile(0.5), 50);
  EXPECT_EQ(s.quantile(0.95), 95);
  EXPECT_EQ(s.quantile(0.99), 99);
  KllSketch x(64), y(64);
  for (int i = 0; i < 50'000; ++i) {
    x.insert(i * 7 % 1000);
    y.insert(i * 7 % 1000);
  }
  EXPECT_EQ(x.quantile(0.9), y.quantile(0.9)) << "fixed-seed coin flips: deterministic";
}
