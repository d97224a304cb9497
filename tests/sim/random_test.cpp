// The hand-written distributions: right moments, right ranges, reproducible.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>

#include "nebula_sim/random.hpp"

using nebula_sim::Rng;

TEST(Random, EngineIsTheStandardMersenneTwister) {
  // [rand.predef]: the 10000th output of a default-seeded mt19937_64.
  Rng rng(5489u);
  std::uint64_t x = 0;
  for (int i = 0; i < 10000; ++i) x = rng.next();
  EXPECT_EQ(x, 9981545732273789042ULL);
}

TEST(Random, SameSeedSameStreamDifferentSeedDifferentStream) {
  Rng a(7), b(7), c(8);
  bool differs = false;
  for (int i = 0; i < 1000; ++i) {
    const double x = a.normal();
    EXPECT_EQ(x, b.normal());
    differs |= x != c.normal();
  }
  EXPECT_TRUE(differs);
}

TEST(Random, UniformIntStaysInBoundsAndHitsBoth) {
  Rng rng(1);
  int counts[3] = {0, 0, 0};
  for (int i = 0; i < 30000; ++i) {
    const auto v = rng.uniform_int(0, 2);
    ASSERT_GE(v, 0);
    ASSERT_LE(v, 2);
    ++counts[v];
  }
  for (int c : counts) EXPECT_NEAR(c, 10000, 500);
}

TEST(Random, NormalHasUnitMoments) {
  Rng rng(2);
  const int n = 200000;
  double sum = 0, sq = 0;
  for (int i = 0; i < n; ++i) {
    const double x = rng.normal();
    sum += x;
    sq += x * x;
  }
  const double mean = sum / n;
  EXPECT_NEAR(mean, 0.0, 0.01);
  EXPECT_NEAR(std::sqrt(sq / n - mean * mean), 1.0, 0.01);
}

TEST(Random, PoissonAndExponentialMeans) {
  Rng rng(3);
  for (double mean : {0.5, 4.0, 29.0, 40.0, 600.0}) {
    double sum = 0;
    for (int i = 0; i < 20000; ++i) sum += static_cast<double>(rng.poisson(mean));
    EXPECT_NEAR(sum / 20000, mean, 4.0 * std::sqrt(mean / 20000)) << "mean " << mean;
  }
  double sum = 0;
  for (int i = 0; i < 20000; ++i) sum += rng.exponential(5.0);
  EXPECT_NEAR(sum / 20000, 5.0, 0.15);
  EXPECT_EQ(rng.poisson(0.0), 0);
}

TEST(Random, DerivedSeedsAreDistinct) {
  EXPECT_NE(nebula_sim::derive_seed(1, 1, 0), nebula_sim::derive_seed(1, 1, 1));
  EXPECT_NE(nebula_sim::derive_seed(1, 1, 0), nebula_sim::derive_seed(1, 2, 0));
  EXPECT_NE(nebula_sim::derive_seed(1, 1, 0), nebula_sim::derive_seed(2, 1, 0));
}
