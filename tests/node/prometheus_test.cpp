// Prometheus exposition parsing and the YAML field mapping, including the
// shipped sample mappings.
#include <gtest/gtest.h>

#include "prometheus_mapping.hpp"
#include "prometheus_text.hpp"

namespace nebula::node::collect {
namespace {

constexpr const char* kExposition = R"(# HELP chain_head_block Current head block
# TYPE chain_head_block gauge
chain_head_block 18734521
# TYPE p2p_peers gauge
p2p_peers 23
txpool_pending 1534 1712345678000
node_cpu_seconds_total{cpu="0",mode="idle"} 1000.5
node_cpu_seconds_total{cpu="0",mode="user"} 200
node_cpu_seconds_total{cpu="1",mode="idle"} 900.25
node_network_receive_bytes_total{device="eth0"} 5000
node_network_receive_bytes_total{device="lo"} 999999
weird_label{path="C:\\tmp",msg="say \"hi\"\nthere"} -3.5e2
nan_metric NaN
inf_metric +Inf
broken{label=} 1
not a sample at all
)";

TEST(PrometheusText, ParsesSamplesLabelsAndSpecialValues) {
  std::vector<std::string> problems;
  const auto samples = parse_prometheus_text(kExposition, &problems);
  ASSERT_EQ(samples.size(), 11u);
  EXPECT_EQ(samples[0].name, "chain_head_block");
  EXPECT_DOUBLE_EQ(samples[0].value, 18734521);
  EXPECT_DOUBLE_EQ(samples[2].value, 1534);  // the timestamp is ignored
  EXPECT_EQ(samples[3].labels.at("mode"), "idle");
  EXPECT_EQ(samples[8].labels.at("path"), "C:\\tmp");
  EXPECT_EQ(samples[8].labels.at("msg"), "say \"hi\"\nthere");
  EXPECT_DOUBLE_EQ(samples[8].value, -350);
  EXPECT_TRUE(std::isnan(samples[9].value));
  EXPECT_TRUE(std::isinf(samples[10].value));
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0], "line 15: malformed labels");
  EXPECT_EQ(problems[1], "line 16: malformed value");
}

TEST(PrometheusSelector, MatchesNameAndEveryLabel) {
  const auto sel = parse_selector(R"(node_cpu_seconds_total{mode="idle"})");
  PromSample s{"node_cpu_seconds_total", {{"cpu", "0"}, {"mode", "idle"}}, 1};
  EXPECT_TRUE(sel.matches(s));
  s.labels["mode"] = "user";
  EXPECT_FALSE(sel.matches(s));
  EXPECT_THROW(parse_selector("{a=\"b\"}"), std::invalid_argument);
  EXPECT_THROW(parse_selector("x{a=b}"), std::invalid_argument);
  EXPECT_THROW(parse_selector("x y"), std::invalid_argument);
}

TEST(PrometheusMapping, ShortAndLongForms) {
  const auto rules = parse_mapping(R"(
blockchain.current_height: chain_head_block
network.peer_count: p2p_peers
performance.cpu_usage:
  metric: node_cpu_seconds_total{mode="idle"}
  rate: true
  aggregate: avg
  scale: -100
  offset: 100
network.bandwidth_usage:
  metric: node_network_receive_bytes_total{device="eth0"}
  rate: true
txpool.pending: txpool_pending
)");
  ASSERT_EQ(rules.size(), 5u);
  EXPECT_EQ(rules[2].aggregate, Aggregate::Avg);
  EXPECT_TRUE(rules[2].rate);
  EXPECT_DOUBLE_EQ(rules[2].scale, -100);

  PrometheusMapper mapper(rules);
  const auto t0 = std::chrono::steady_clock::now();
  auto first = mapper.apply(parse_prometheus_text(kExposition), t0);
  EXPECT_EQ(first["blockchain"]["current_height"], 18734521);
  EXPECT_TRUE(first["blockchain"]["current_height"].is_number_integer());
  EXPECT_EQ(first["network"]["peer_count"], 23);
  EXPECT_DOUBLE_EQ(first["txpool"]["pending"].get<double>(), 1534);
  EXPECT_FALSE(first.contains("performance"));  // a rate needs two scrapes
  EXPECT_FALSE(first["network"].contains("bandwidth_usage"));

  // 10 s later: each CPU idled 5 s of 10 -> 50 % busy; eth0 got 1000 bytes/s.
  const auto second = mapper.apply(parse_prometheus_text(R"(
chain_head_block 18734523
p2p_peers 24
node_cpu_seconds_total{cpu="0",mode="idle"} 1005.5
node_cpu_seconds_total{cpu="1",mode="idle"} 905.25
node_network_receive_bytes_total{device="eth0"} 15000
)"),
                                   t0 + std::chrono::seconds(10));
  EXPECT_NEAR(second["performance"]["cpu_usage"].get<double>(), 50.0, 1e-9);
  EXPECT_NEAR(second["network"]["bandwidth_usage"].get<double>(), 1000.0, 1e-9);
  EXPECT_FALSE(second.contains("txpool"));  // no matching series this time
}

TEST(PrometheusMapping, CanonicalFieldsAreNeverNegativeAndIntegersRound) {
  PrometheusMapper mapper(parse_mapping("network.peer_count: {metric: x, scale: 0.5}\nperformance.cpu_usage: y\n"));
  const auto out = mapper.apply(parse_prometheus_text("x 5\ny -3\n"), std::chrono::steady_clock::now());
  EXPECT_EQ(out["network"]["peer_count"], 3);  // 2.5 rounds away from zero
  EXPECT_EQ(out["performance"]["cpu_usage"], 0.0);
}

TEST(PrometheusMapping, CombinesSeveralMetrics) {
  PrometheusMapper mapper(parse_mapping(R"(
performance.memory_usage:
  metric: mem_available
  divide_by: mem_total
  scale: -100
  offset: 100
performance.uptime:
  metric: time_now
  minus: boot_time
network.bandwidth_usage:
  metric: ['rx{device!="lo"}', 'tx{device!="lo"}']
  rate: true
)"));
  const auto t0 = std::chrono::steady_clock::now();
  mapper.apply(parse_prometheus_text("rx{device=\"eth0\"} 0\nrx{device=\"lo\"} 0\ntx{device=\"eth0\"} 0\n"), t0);
  const auto out = mapper.apply(parse_prometheus_text(R"(
mem_available 250
mem_total 1000
time_now 1700000100
boot_time 1700000000
rx{device="eth0"} 300
rx{device="lo"} 999999
tx{device="eth0"} 200
)"),
                                t0 + std::chrono::seconds(5));
  EXPECT_DOUBLE_EQ(out["performance"]["memory_usage"].get<double>(), 75.0);
  EXPECT_DOUBLE_EQ(out["performance"]["uptime"].get<double>(), 100.0);
  EXPECT_DOUBLE_EQ(out["network"]["bandwidth_usage"].get<double>(), 100.0);  // (300 + 200) / 5, lo left out
}

TEST(PrometheusMapping, ErrorsNameTheLine) {
  auto error_of = [](const char* yaml) {
    try {
      parse_mapping(yaml);
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_EQ(error_of("a.b: x\nc.d:\n  metric: y\n  sacle: 2\n"),
            "line 4: unknown key 'sacle' (metric, rate, aggregate, scale, offset, minus, divide_by)");
  EXPECT_EQ(error_of("a.b:\n  rate: true\n"), "line 2: a.b: the long form needs 'metric'");
  EXPECT_EQ(error_of("a.b: 'bad{'\n"), "line 1: 'bad{': malformed label matchers (use name{label=\"value\"})");
  EXPECT_EQ(error_of("a..b: x\n"), "line 1: 'a..b' is not a dotted field name");
  EXPECT_EQ(error_of("- a\n"), "line 1: a mapping must be a map of field: metric");
}

TEST(PrometheusMapping, ShippedSamplesLoad) {
  for (const char* name : {"geth.yaml", "node_exporter.yaml"}) {
    const auto rules = load_mapping_file(std::filesystem::path(NEBULA_SOURCE_DIR) / "node/cli/mappings" / name);
    EXPECT_FALSE(rules.empty()) << name;
  }
}

}  // namespace
}  // namespace nebula::node::collect
