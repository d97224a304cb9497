// The arithmetic of a round and the peer file format, without files or clocks.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include <nebula/host.hpp>

#include "nebula_agents/fedavg.hpp"
#include "nebula_agents/param_file.hpp"

namespace {

using namespace nebula::agents;

std::vector<DenseLayer> random_net(const std::vector<int>& widths, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<float> n(0.0f, 0.5f);
  std::vector<DenseLayer> layers;
  for (size_t i = 0; i + 1 < widths.size(); ++i) {
    DenseLayer L;
    L.inputs = widths[i];
    L.outputs = widths[i + 1];
    for (int k = 0; k < L.inputs * L.outputs; ++k) L.weight.push_back(n(rng));
    for (int k = 0; k < L.outputs; ++k) L.bias.push_back(n(rng));
    layers.push_back(std::move(L));
  }
  return layers;
}

RunningStat stat_of(const std::vector<double>& xs) {
  RunningStat s;
  for (double x : xs) s.add(x, 0.0);
  return s;
}

TEST(FedAvgMath, CombinedStatisticsEqualThoseOfThePooledData) {
  std::mt19937_64 rng(3);
  std::normal_distribution<double> a(1.0, 0.5), b(2.5, 1.5);
  std::vector<double> xa, xb, all;
  for (int i = 0; i < 700; ++i) xa.push_back(a(rng));
  for (int i = 0; i < 300; ++i) xb.push_back(b(rng));
  all = xa;
  all.insert(all.end(), xb.begin(), xb.end());
  const StatMap ma{{"s", stat_of(xa)}}, mb{{"s", stat_of(xb)}, {"only_b", stat_of({4.0})}};
  const auto merged = combine_stats({&ma, &mb});
  const RunningStat pooled = stat_of(all);
  EXPECT_EQ(merged.at("s").count, 1000u);
  EXPECT_NEAR(merged.at("s").mean, pooled.mean, 1e-12);
  EXPECT_NEAR(merged.at("s").var, pooled.var, 1e-9);
  // A naive average of the two means would be off by the 700/300 imbalance.
  EXPECT_GT(std::abs(0.5 * (ma.at("s").mean + mb.at("s").mean) - pooled.mean), 0.2);
  EXPECT_EQ(merged.at("only_b").count, 1u);
}

TEST(FedAvgMath, RestandardisedNetworkComputesTheSameFunctionInTheNewUnits) {
  auto net = random_net({5, 7, 3}, 11);
  const StatMap from{{"lat", {4.0, 0.25, 100}}, {"peers", {2.0, 0.04, 100}}};
  const StatMap to{{"lat", {4.5, 0.64, 300}}, {"peers", {1.7, 0.09, 300}}};
  // Output 1 and input 2 (present when input 4 is 1) are "lat"; output 0 is "peers".
  const std::vector<NormUse> uses = {{"lat", 0.05, true, 1}, {"peers", 0.05, true, 0}, {"lat", 0.05, false, 2, 4}};
  auto moved = net;
  restandardise(moved, uses, from, to);
  const DenseSnapshot old_net(net), new_net(moved);
  auto z = [](const RunningStat& s, double v) { return static_cast<float>((v - s.mean) / s.std_or(0.05)); };
  for (double raw_lat : {3.5, 4.0, 5.2}) {
    for (float present : {0.0f, 1.0f}) {
      const std::vector<float> x_from = {0.3f, -1.2f, present > 0 ? z(from.at("lat"), raw_lat) : 0.0f, 0.7f, present};
      std::vector<float> x_to = x_from;
      x_to[2] = present > 0 ? z(to.at("lat"), raw_lat) : 0.0f;
      const auto y_from = old_net.forward(x_from), y_to = new_net.forward(x_to);
      // Same raw prediction whichever units it is expressed in.
      auto raw = [](const RunningStat& s, float y) { return y * s.std_or(0.05) + s.mean; };
      EXPECT_NEAR(raw(from.at("peers"), y_from[0]), raw(to.at("peers"), y_to[0]), 1e-4);
      EXPECT_NEAR(raw(from.at("lat"), y_from[1]), raw(to.at("lat"), y_to[1]), 1e-4);
      EXPECT_NEAR(y_from[2], y_to[2], 1e-5);  // not standardised: unchanged
    }
  }
  // A stored sample moves with it; an absent input stays 0.
  Sample s{{0.3f, -1.2f, z(from.at("lat"), 5.2), 0.7f, 1.0f}, {z(from.at("peers"), 2.2), 0.5f, 0.1f}, {1, 0, 1}};
  Sample absent{{0, 0, 0, 0, 0}, {0, 0, 0}, {0, 0, 0}};
  restandardise(s, uses, from, to);
  restandardise(absent, uses, from, to);
  EXPECT_NEAR(s.x[2], z(to.at("lat"), 5.2), 1e-5);
  EXPECT_NEAR(s.y[0], z(to.at("peers"), 2.2), 1e-5);
  EXPECT_EQ(s.y[1], 0.5f);  // masked out: untouched
  EXPECT_EQ(absent.x[2], 0.0f);
  EXPECT_FALSE(units_differ(uses, from, from));
  EXPECT_TRUE(units_differ(uses, from, to));
}

TEST(FedAvgMath, AverageIsWeightedBySamplesAndCarriesLocalProgress) {
  const auto a = random_net({3, 4, 2}, 1), b = random_net({3, 4, 2}, 2);
  const auto avg = weighted_average({&a, &b}, {100, 300});
  EXPECT_NEAR(avg[1].weight[3], 0.25 * a[1].weight[3] + 0.75 * b[1].weight[3], 1e-6);
  EXPECT_NEAR(avg[0].bias[2], 0.25 * a[0].bias[2] + 0.75 * b[0].bias[2], 1e-6);
  const auto later = random_net({3, 4, 2}, 3);
  const auto carried = plus_difference(avg, later, a);
  EXPECT_NEAR(carried[0].weight[5], avg[0].weight[5] + later[0].weight[5] - a[0].weight[5], 1e-6);
  EXPECT_EQ(parameters_crc32(plus_difference(avg, a, a)), parameters_crc32(avg));  // no progress: the same bits
  EXPECT_NE(parameters_crc32(a), parameters_crc32(b));
}

Contribution sample_contribution() {
  Contribution c;
  c.agent_id = "nebula.agent.archivist";
  c.member = "host-a";
  c.seq = 7;
  c.published_unix = 1767229200.5;
  c.samples = 1234;
  c.joined = true;
  c.version = 4;
  c.architecture = {3, 2, {4}};
  c.learning_rate = 0.003;
  c.in_use = {{"s", {1.0, 0.5, 10}}};
  c.local = {{"s", {1.1, 0.4, 6}}};
  c.layers = random_net({3, 4, 2}, 5);
  return c;
}

TEST(ParamFile, RoundTripsAndRefusesDamage) {
  const auto c = sample_contribution();
  const std::string bytes = encode_contribution(c);
  const auto back = decode_contribution(bytes, c.agent_id);
  EXPECT_EQ(back.member, "host-a");
  EXPECT_EQ(back.seq, 7u);
  EXPECT_EQ(back.samples, 1234u);
  EXPECT_TRUE(back.joined);
  EXPECT_EQ(back.architecture, c.architecture);
  EXPECT_EQ(back.local.at("s").count, 6u);
  EXPECT_EQ(parameters_crc32(back.layers), parameters_crc32(c.layers));

  auto refused = [&](const std::string& b, const std::string& agent = "nebula.agent.archivist") {
    try {
      decode_contribution(b, agent);
    } catch (const nebula::Error& e) {
      return e.status() == NEBULA_INVALID;
    }
    return false;
  };
  EXPECT_TRUE(refused(""));
  EXPECT_TRUE(refused(bytes.substr(0, bytes.size() / 2)));
  EXPECT_TRUE(refused(bytes.substr(0, bytes.size() - 1)));
  for (size_t pos : {size_t{5}, size_t{20}, bytes.size() / 2, bytes.size() - 3}) {
    std::string flipped = bytes;
    flipped[pos] = static_cast<char>(flipped[pos] ^ 0x04);
    EXPECT_TRUE(refused(flipped)) << "byte " << pos;
  }
  EXPECT_TRUE(refused(bytes, "nebula.agent.analyst"));
  auto wrong_shape = c;
  wrong_shape.architecture = {3, 2, {5}};  // declares another size than its weights
  EXPECT_TRUE(refused(encode_contribution(wrong_shape)));
  auto poisoned = c;
  poisoned.layers[0].weight[0] = std::nanf("");
  EXPECT_TRUE(refused(encode_contribution(poisoned)));
}

}  // namespace
