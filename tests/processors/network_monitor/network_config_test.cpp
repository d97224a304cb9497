#include <gtest/gtest.h>

#include "network_config.hpp"

using nebula::network_monitor::parse_config;

TEST(NetworkConfig, Defaults) {
  nebula::ConfigErrors errors;
  auto c = parse_config(nlohmann::json::object(), &errors);
  EXPECT_TRUE(errors.empty());
  EXPECT_EQ(c.quantile_k, 200u);
  EXPECT_DOUBLE_EQ(c.health.isolation_peers, 2);
  EXPECT_EQ(c.partition_min_nodes, 3u);
}

TEST(NetworkConfig, BadValuesPointAtTheirKeys) {
  nebula::ConfigErrors errors;
  parse_config({{"partition_peer_factor", 1.5}, {"quantile_k", 8}, {"partition_min_nodes", 1}, {"isolation", 2}},
               &errors);
  const auto& text = errors.text();
  EXPECT_EQ(errors.size(), 4u) << text;
  EXPECT_NE(text.find("/partition_peer_factor: must be between 0"), std::string::npos) << text;
  EXPECT_NE(text.find("/quantile_k: must be between 16"), std::string::npos) << text;
  EXPECT_NE(text.find("/partition_min_nodes: must be between 2"), std::string::npos) << text;
  EXPECT_NE(text.find("/isolation: unknown key"), std::string::npos) << text;
}
