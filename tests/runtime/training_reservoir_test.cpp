// The training reservoir keeps a uniform sample of each round's offers (not
// its newest tail, as a drop-oldest queue would), counts every offer exactly
// once, and only waits where it says it does.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <thread>
#include <vector>

#include "runtime/training_reservoir.hpp"

using nebula::host::ReservoirCounts;
using Reservoir = nebula::host::TrainingReservoir<int>;
using Offer = Reservoir::Offer;

namespace {

constexpr int kOffers = 10000;
constexpr size_t kCapacity = 100;
constexpr int kTrials = 200;

using Deciles = std::array<double, 10>;

// Which tenth of 1..kOffers `item` is in.
size_t decile(int item) { return static_cast<size_t>((item - 1) * 10 / kOffers); }

// Pearson's chi-square against equal deciles.
double chi_square(const Deciles& observed) {
  double total = 0;
  for (double o : observed) total += o;
  const double expected = total / 10;
  double chi = 0;
  for (double o : observed) chi += (o - expected) * (o - expected) / expected;
  return chi;
}

// 9 degrees of freedom: a uniform sample exceeds this once in 1000.
constexpr double kChiSquare999 = 27.88;

void expect_adds_up(const ReservoirCounts& c) {
  EXPECT_EQ(c.offered, c.taken + c.skipped + c.held) << c.offered << " offered, " << c.taken << " taken, "
                                                     << c.skipped << " skipped, " << c.held << " held";
}

}  // namespace

TEST(TrainingReservoir, KeepsAUniformSampleOfTheRoundNotItsNewestTail) {
  Deciles sampled{};
  Deciles first_batch{};  // the first 10 taken: the training thread's first learn() batch
  Deciles newest_tail{};  // what a drop-oldest queue of the same capacity would have kept
  for (int trial = 0; trial < kTrials; ++trial) {
    Reservoir reservoir(kCapacity, /*seed=*/static_cast<uint64_t>(trial) + 1);
    for (int item = 1; item <= kOffers; ++item) reservoir.offer(item);
    const auto round = reservoir.take(1, std::chrono::milliseconds(0));
    ASSERT_EQ(round.items.size(), kCapacity);
    EXPECT_EQ(round.offered, static_cast<uint64_t>(kOffers));
    for (size_t i = 0; i < round.items.size(); ++i) {
      ++sampled[decile(round.items[i])];
      if (i < 10) ++first_batch[decile(round.items[i])];
    }
    for (int item = kOffers - static_cast<int>(kCapacity) + 1; item <= kOffers; ++item) ++newest_tail[decile(item)];
  }
  EXPECT_LT(chi_square(sampled), kChiSquare999);
  EXPECT_LT(chi_square(first_batch), kChiSquare999);
  // The same bound rejects what the queue this replaces would have learned from.
  EXPECT_GT(chi_square(newest_tail), kChiSquare999);
  // And each decile is near its share, 2000 of 20000 (±4.5 sigma).
  for (double n : sampled) {
    EXPECT_GT(n, 1800);
    EXPECT_LT(n, 2200);
  }
}

TEST(TrainingReservoir, SkipsNothingWhileARoundFits) {
  Reservoir reservoir(kCapacity, 7);
  for (int item = 1; item <= static_cast<int>(kCapacity); ++item) EXPECT_EQ(reservoir.offer(item), Offer::Kept);
  auto round = reservoir.take(1, std::chrono::milliseconds(0));
  EXPECT_EQ(round.offered, kCapacity);
  std::sort(round.items.begin(), round.items.end());
  ASSERT_EQ(round.items.size(), kCapacity);
  for (size_t i = 0; i < kCapacity; ++i) EXPECT_EQ(round.items[i], static_cast<int>(i) + 1);
  EXPECT_EQ(reservoir.offer(101), Offer::Kept);  // a new round starts empty
  EXPECT_EQ(reservoir.counts().skipped, 0u);
}

TEST(TrainingReservoir, EachRoundSamplesOnlyItsOwnOffers) {
  Reservoir reservoir(kCapacity, 7);
  for (int item = 1; item <= 1000; ++item) reservoir.offer(item);
  auto first = reservoir.take(1, std::chrono::milliseconds(0));
  EXPECT_EQ(first.offered, 1000u);
  for (int item = 1001; item <= 1050; ++item) EXPECT_EQ(reservoir.offer(item), Offer::Kept);
  auto second = reservoir.take(1, std::chrono::milliseconds(0));
  EXPECT_EQ(second.offered, 50u);
  ASSERT_EQ(second.items.size(), 50u);
  for (int item : second.items) EXPECT_GT(item, 1000);
  const ReservoirCounts c = reservoir.counts();
  EXPECT_EQ(c.offered, 1050u);
  EXPECT_EQ(c.taken, 150u);
  EXPECT_EQ(c.skipped, 900u);
  expect_adds_up(c);
}

TEST(TrainingReservoir, TheSameSeedTakesTheSameSample) {
  auto sample = [](uint64_t seed) {
    Reservoir reservoir(kCapacity, seed);
    for (int item = 1; item <= kOffers; ++item) reservoir.offer(item);
    return reservoir.take(1, std::chrono::milliseconds(0)).items;
  };
  EXPECT_EQ(sample(42), sample(42));
  EXPECT_NE(sample(42), sample(43));
}

TEST(TrainingReservoir, CountsAddUpUnderConcurrentProducersAndTakes) {
  Reservoir reservoir(50, 3);
  constexpr int kProducers = 4;
  constexpr int kEach = 20000;
  std::atomic<int> producing{kProducers};
  std::vector<std::thread> producers;
  for (int p = 0; p < kProducers; ++p) {
    producers.emplace_back([&, p] {
      for (int i = 0; i < kEach; ++i) reservoir.offer(p * kEach + i + 1);
      --producing;
    });
  }
  uint64_t taken = 0;
  uint64_t offered_in_rounds = 0;
  std::vector<bool> seen(kProducers * kEach + 1, false);
  while (producing > 0 || reservoir.size() > 0) {
    auto round = reservoir.take(10, std::chrono::milliseconds(1));
    taken += round.items.size();
    offered_in_rounds += round.offered;
    EXPECT_LE(round.items.size(), round.offered);
    for (int item : round.items) {
      EXPECT_FALSE(seen[static_cast<size_t>(item)]) << item << " taken twice";
      seen[static_cast<size_t>(item)] = true;
    }
    expect_adds_up(reservoir.counts());
  }
  for (auto& t : producers) t.join();
  const ReservoirCounts c = reservoir.counts();
  EXPECT_EQ(c.offered, static_cast<uint64_t>(kProducers * kEach));
  EXPECT_EQ(c.taken, taken);
  EXPECT_EQ(offered_in_rounds, c.offered);
  EXPECT_EQ(c.held, 0u);
  expect_adds_up(c);
}

TEST(TrainingReservoir, TakeReturnsOnceABatchIsHeldNotAtItsDeadline) {
  Reservoir reservoir(kCapacity, 1);
  const auto started = std::chrono::steady_clock::now();
  std::thread producer([&] {
    for (int item = 1; item <= 5; ++item) reservoir.offer(item);
  });
  auto round = reservoir.take(5, std::chrono::seconds(60));
  producer.join();
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(20));
  EXPECT_EQ(round.items.size(), 5u);
}

TEST(TrainingReservoir, WaitingOffersNeverReplaceAndAreAdmittedByTheNextTake) {
  Reservoir reservoir(2, 1);
  EXPECT_EQ(reservoir.offer_waiting(1, std::chrono::milliseconds(0)), Offer::Kept);
  EXPECT_EQ(reservoir.offer_waiting(2, std::chrono::milliseconds(0)), Offer::Kept);
  EXPECT_EQ(reservoir.offer_waiting(3, std::chrono::milliseconds(10)), Offer::Skipped);  // full: refused, counted
  Offer waited = Offer::Closed;
  std::thread producer([&] { waited = reservoir.offer_waiting(4, std::chrono::seconds(60)); });
  auto round = reservoir.take(1, std::chrono::milliseconds(0));
  producer.join();
  EXPECT_EQ(waited, Offer::Kept);
  std::sort(round.items.begin(), round.items.end());
  EXPECT_EQ(round.items, (std::vector<int>{1, 2}));
  EXPECT_EQ(reservoir.take(1, std::chrono::milliseconds(0)).items, std::vector<int>{4});
  const ReservoirCounts c = reservoir.counts();
  EXPECT_EQ(c.skipped, 1u);
  expect_adds_up(c);
}

TEST(TrainingReservoir, ClosedTakesNothingMoreAndNoLongerMakesTakeWait) {
  Reservoir reservoir(kCapacity, 1);
  reservoir.offer(1);
  reservoir.close();
  EXPECT_EQ(reservoir.offer(2), Offer::Closed);
  EXPECT_EQ(reservoir.offer_waiting(3, std::chrono::seconds(60)), Offer::Closed);
  const auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(reservoir.take(5, std::chrono::seconds(60)).items, std::vector<int>{1});
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(20));
  EXPECT_EQ(reservoir.counts().offered, 1u);  // closed offers are not counted
}
