// Reaching a state cap is a warning and a metric, never silent: each
// record-reading processor, loaded from its real .so with max_nodes 2, is fed
// more nodes than that and must count the evictions, gauge the table's fill
// and warn once (component, table, capacity, config key), not per eviction.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <nebula/arrow_batch.hpp>
#include <nebula/record_fields.hpp>
#include <nebula/testing/mock_host.hpp>

namespace {

struct Plugin {
  const char* library;
  const char* id;
};

const std::vector<Plugin>& record_processors() {
  static const std::vector<Plugin> all = {
      {"libnebula_processor_block_data.so", "nebula.processor.block_data"},
      {"libnebula_processor_transaction_analyzer.so", "nebula.processor.transaction_analyzer"},
      {"libnebula_processor_network_monitor.so", "nebula.processor.network_monitor"},
      {"libnebula_processor_data_stream.so", "nebula.processor.data_stream"},
      {"libnebula_processor_intelligence.so", "nebula.processor.intelligence"},
      {"libnebula_processor_learning.so", "nebula.processor.learning"},
      {"libnebula_processor_memory.so", "nebula.processor.memory"},
      {"libnebula_processor_pattern.so", "nebula.processor.pattern"}};
  return all;
}

// One sample from each of `count` nodes (n<first>, n<first+1>, ...) on one
// chain, with a sequence number (data_stream tracks only nodes that send one).
nebula::OwnedBatch nodes(int first, int count, double ts) {
  namespace f = nebula::fields;
  auto b = nebula::RecordBatchBuilder::canonical();
  for (int i = first; i < first + count; ++i) {
    b.append_double(b.find(f::timestamp), ts);
    b.append_text(b.find(f::node_id), "n" + std::to_string(i));
    b.append_text(b.find(f::node_type), "full");
    b.append_text(b.find(f::chain_id), "mainnet");
    b.append_int(b.find(f::seq), static_cast<int64_t>(ts));
    b.append_int(b.find(f::current_height), 100);
    b.append_int(b.find(f::blocks_processed), 1);
    b.append_int(b.find(f::transaction_count), 1000);
    b.append_double(b.find(f::hash_rate), 1e6);
    b.append_int(b.find(f::peer_count), 8);
    b.append_double(b.find(f::latency), 40);
    b.append_double(b.find(f::bandwidth), 5);
    b.append_double(b.find(f::connection_quality), 0.9);
    b.append_double(b.find(f::cpu_usage), 30);
    b.append_double(b.find(f::memory_usage), 50);
    b.append_null(b.find(f::uptime));
    b.append_null(b.find(f::extra));
  }
  return nebula::OwnedBatch(std::move(b));
}

std::vector<std::string> cap_warnings(const nebula::testing::MockHost& host) {
  std::vector<std::string> out;
  for (const auto& line : host.logs())
    if (line.level == NEBULA_LOG_WARN && line.message.find("state table") != std::string::npos)
      out.push_back(line.message);
  return out;
}

class StateCapsThroughThePlugin : public ::testing::TestWithParam<Plugin> {};

TEST_P(StateCapsThroughThePlugin, AFullNodeTableIsCountedGaugedAndWarnedAboutOnce) {
  const Plugin& p = GetParam();
  nebula::testing::PluginLibrary lib(std::string(NEBULA_PLUGIN_DIR) + "/" + p.library);
  nebula::testing::MockHost host;
  auto inst = host.create(lib.find(p.id), R"({"max_nodes": 2})");

  ASSERT_EQ(inst.feed(nodes(0, 2, 1000)), NEBULA_OK) << inst.last_error();
  EXPECT_EQ(host.gauge("state_entries_nodes"), 2.0);
  EXPECT_EQ(host.gauge("state_capacity_nodes"), 2.0);
  EXPECT_EQ(host.counter("state_evictions_nodes"), 0.0);
  ASSERT_EQ(cap_warnings(host).size(), 1u) << "full is the moment to say so";

  ASSERT_EQ(inst.feed(nodes(2, 3, 1010)), NEBULA_OK) << inst.last_error();
  ASSERT_EQ(inst.feed(nodes(5, 3, 1020)), NEBULA_OK) << inst.last_error();
  EXPECT_EQ(host.counter("state_evictions_nodes"), 6.0);
  EXPECT_EQ(host.gauge("state_entries_nodes"), 2.0);

  const auto warnings = cap_warnings(host);
  ASSERT_EQ(warnings.size(), 1u) << "rate limited, not one per eviction";
  EXPECT_NE(warnings[0].find(p.id), std::string::npos) << warnings[0];
  EXPECT_NE(warnings[0].find("'nodes'"), std::string::npos) << warnings[0];
  EXPECT_NE(warnings[0].find("capacity of 2"), std::string::npos) << warnings[0];
  EXPECT_NE(warnings[0].find("'max_nodes'"), std::string::npos) << warnings[0];
}

INSTANTIATE_TEST_SUITE_P(RecordProcessors, StateCapsThroughThePlugin, ::testing::ValuesIn(record_processors()),
                         [](const auto& info) {
                           std::string name = info.param.id;
                           return name.substr(name.rfind('.') + 1);
                         });

}  // namespace
