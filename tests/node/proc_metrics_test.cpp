// The /proc parsers on sample texts, and the sampler on a fake /proc tree.
#include <gtest/gtest.h>

#include <fstream>

#include "fleet_split.hpp"
#include "node_test_support.hpp"
#include "proc_metrics.hpp"

namespace nebula::node::collect {
namespace {

constexpr const char* kStat1 =
    "cpu  4705 356 584 3699 23 0 12 0 0 0\n"
    "cpu0 1393280 32966 572056 13343292 6130 0 17875 0 23933 0\n"
    "intr 114930548 113199788 3 0 5 263 0 4 [...]\n"
    "ctxt 1990473\n";
constexpr const char* kStat2 =  // +300 busy jiffies, +700 idle (+680 idle, +20 iowait)
    "cpu  4905 356 684 4379 43 0 12 0 0 0\n";

TEST(ProcStat, ParsesTheAggregateLine) {
  const auto t = parse_proc_stat(kStat1);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->total, 4705u + 356 + 584 + 3699 + 23 + 0 + 12 + 0);
  EXPECT_EQ(t->idle, 3699u + 23);
  EXPECT_FALSE(parse_proc_stat("intr 1 2 3\n"));
  EXPECT_FALSE(parse_proc_stat("cpu x y z w\n"));
}

TEST(ProcStat, CpuUsageIsTheBusyShareOfTheInterval) {
  const auto a = parse_proc_stat(kStat1), b = parse_proc_stat(kStat2);
  ASSERT_TRUE(a && b);
  EXPECT_NEAR(*cpu_usage_percent(*a, *b), 30.0, 1e-9);
  EXPECT_FALSE(cpu_usage_percent(*a, *a));  // no time passed
}

TEST(ProcMeminfo, UsesMemAvailable) {
  const auto m = parse_meminfo(
      "MemTotal:       16000000 kB\nMemFree:         1000000 kB\nMemAvailable:    4000000 kB\nBuffers: 1 kB\n");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->total_kb, 16'000'000u);
  EXPECT_EQ(m->available_kb, 4'000'000u);
  EXPECT_DOUBLE_EQ(memory_usage_percent(*m), 75.0);
}

TEST(ProcMeminfo, FallsBackOnOldKernels) {
  const auto m = parse_meminfo("MemTotal: 1000 kB\nMemFree: 100 kB\nBuffers: 50 kB\nCached: 250 kB\n");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->available_kb, 400u);
  EXPECT_DOUBLE_EQ(memory_usage_percent(*m), 60.0);
  EXPECT_FALSE(parse_meminfo("SwapTotal: 5 kB\n"));
}

TEST(ProcUptime, FirstNumber) {
  EXPECT_DOUBLE_EQ(*parse_uptime("350735.47 234388.90\n"), 350735.47);
  EXPECT_FALSE(parse_uptime("soon"));
  EXPECT_FALSE(parse_uptime(""));
}

constexpr const char* kNetDev1 =
    "Inter-|   Receive                                                |  Transmit\n"
    " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n"
    "    lo: 9000000    100    0    0    0     0          0         0  9000000    100    0    0    0     0       0          0\n"
    "  eth0: 1000000   2000    0    0    0     0          0         0   500000   1500    0    0    0     0       0          0\n"
    " wlan0:    2000     20    0    0    0     0          0         0     1000     10    0    0    0     0       0          0\n";
constexpr const char* kNetDev2 =
    "  eth0: 1100000   2100    0    0    0     0          0         0   550000   1600    0    0    0     0       0          0\n"
    " wlan0:    2000     20    0    0    0     0          0         0     1000     10    0    0    0     0       0          0\n"
    "    lo:99999999    100    0    0    0     0          0         0 99999999    100    0    0    0     0       0          0\n";

TEST(ProcNetDev, SumsEveryInterfaceButLoopback) {
  const auto n = parse_net_dev(kNetDev1);
  ASSERT_TRUE(n);
  EXPECT_EQ(n->rx, 1'002'000u);
  EXPECT_EQ(n->tx, 501'000u);
  EXPECT_FALSE(parse_net_dev("Inter-| Receive\n face |bytes\n"));
}

TEST(ProcNetDev, BandwidthIsBytesPerSecond) {
  const auto a = parse_net_dev(kNetDev1), b = parse_net_dev(kNetDev2);
  ASSERT_TRUE(a && b);
  EXPECT_DOUBLE_EQ(bytes_per_second(*a, *b, 5.0), 30'000.0);  // (100000 + 50000) / 5
  EXPECT_DOUBLE_EQ(bytes_per_second(*b, *a, 5.0), 0.0);       // counters reset
}

TEST(ProcSampler, RatesAppearFromTheSecondSample) {
  testing::TempDir dir;
  std::filesystem::create_directories(dir.path() / "net");
  auto write = [&](const char* stat, const char* net) {
    std::ofstream(dir.path() / "stat") << stat;
    std::ofstream(dir.path() / "net" / "dev") << net;
    std::ofstream(dir.path() / "meminfo") << "MemTotal: 1000 kB\nMemAvailable: 250 kB\n";
    std::ofstream(dir.path() / "uptime") << "42.5 10.0\n";
  };
  ProcSampler sampler(dir.path());
  const auto t0 = std::chrono::steady_clock::now();
  write(kStat1, kNetDev1);
  auto first = sampler.sample(t0);
  EXPECT_FALSE(first["performance"].contains("cpu_usage"));
  EXPECT_FALSE(first.contains("network"));
  EXPECT_DOUBLE_EQ(first["performance"]["memory_usage"].get<double>(), 75.0);
  EXPECT_DOUBLE_EQ(first["performance"]["uptime"].get<double>(), 42.5);

  write(kStat2, kNetDev2);
  auto second = sampler.sample(t0 + std::chrono::seconds(5));
  EXPECT_NEAR(second["performance"]["cpu_usage"].get<double>(), 30.0, 1e-9);
  EXPECT_DOUBLE_EQ(second["network"]["bandwidth_usage"].get<double>(), 30'000.0);
}

TEST(ProcSampler, ReadsThisMachine) {
  ProcSampler sampler;
  sampler.sample(std::chrono::steady_clock::now());
  const auto s = sampler.sample(std::chrono::steady_clock::now() + std::chrono::seconds(1));
  ASSERT_TRUE(s.contains("performance"));
  EXPECT_GT(s["performance"]["uptime"].get<double>(), 0);
  const double mem = s["performance"]["memory_usage"].get<double>();
  EXPECT_GT(mem, 0);
  EXPECT_LE(mem, 100);
}

TEST(FleetSplit, RatiosAddUpExactly) {
  using cli::parse_ratio;
  using cli::split_fleet;
  auto c = split_fleet(10, parse_ratio("4:4:1:1"));
  EXPECT_EQ(c.testnet, 4u);
  EXPECT_EQ(c.mainnet, 4u);
  EXPECT_EQ(c.basic, 1u);
  EXPECT_EQ(c.full, 1u);
  for (std::size_t n : {0u, 1u, 7u, 33u, 1001u}) EXPECT_EQ(split_fleet(n, parse_ratio("3:2:1:1")).total(), n);
  c = split_fleet(3, parse_ratio("0:1:0:0"));
  EXPECT_EQ(c.mainnet, 3u);
  EXPECT_THROW(parse_ratio("1:1:1"), std::invalid_argument);
  EXPECT_THROW(parse_ratio("0:0:0:0"), std::invalid_argument);
  EXPECT_THROW(parse_ratio("a:1:1:1"), std::invalid_argument);
  EXPECT_THROW(parse_ratio("1:1:1:1:1:1"), std::invalid_argument);
  c = split_fleet(5, parse_ratio("1:1:1:1:1"));  // the fifth weight is simple nodes
  EXPECT_EQ(c.simple, 1u);
  EXPECT_EQ(split_fleet(8, parse_ratio("1:1:1:1")).simple, 0u);
}

}  // namespace
}  // namespace nebula::node::collect
