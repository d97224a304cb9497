// Loads the real plugin library through the mock host, as the pool would.
#include <gtest/gtest.h>

#include <nebula/testing/mock_host.hpp>

#include "batch_rows.hpp"

namespace {

const std::string kLibrary = std::string(NEBULA_PLUGIN_DIR) + "/libnebula_processor_data_stream.so";
constexpr const char* kId = "nebula.processor.data_stream";

test_rows::Row sample(double t, const std::string& node, int64_t seq, double cpu) {
  return {{"timestamp", t}, {"node_id", node}, {"chain_id", "testnet"}, {"seq", seq}, {"performance.cpu_usage", cpu}};
}

}  // namespace

TEST(DataStreamPlugin, EmitsClosedWindowsAndFlushesTheRest) {
  nebula::testing::PluginLibrary lib(kLibrary);
  nebula::testing::MockHost host;
  auto inst = host.create(lib.find(kId), R"({"window_s":10,"allowed_lateness_s":2})");
  ASSERT_EQ(inst.feed(test_rows::make_batch({sample(1, "a", 1, 10), sample(1, "a", 1, 10), sample(5, "b", 1, 30)})),
            NEBULA_OK)
      << inst.last_error();
  EXPECT_TRUE(host.insights("stream").empty()) << "no window is complete yet";
  ASSERT_EQ(inst.feed(test_rows::make_batch({sample(12, "a", 2, 50)})), NEBULA_OK) << inst.last_error();
  auto out = host.insights("stream");
  ASSERT_EQ(out.size(), 1u);
  auto doc = nlohmann::json::parse(out[0].json);
  EXPECT_EQ(doc["kind"], "window");
  EXPECT_EQ(doc["generated_at"], 12.0);
  const auto& win = doc["chains"]["testnet"]["windows"][0];
  EXPECT_EQ(win["start"], 0.0);
  EXPECT_EQ(win["end"], 10.0);
  EXPECT_EQ(win["records"], 2);
  EXPECT_EQ(win["duplicates"], 1);
  EXPECT_EQ(win["distinct_nodes"], 2);
  EXPECT_DOUBLE_EQ(win["fields"]["performance.cpu_usage"]["mean"].get<double>(), 20.0);

  ASSERT_EQ(inst.flush(), NEBULA_OK) << inst.last_error();
  out = host.insights("stream");
  ASSERT_EQ(out.size(), 2u);
  doc = nlohmann::json::parse(out[1].json);
  EXPECT_EQ(doc["chains"]["testnet"]["windows"][0]["start"], 10.0);
  EXPECT_EQ(doc["chains"]["testnet"]["windows"][0]["records"], 1);
}

TEST(DataStreamPlugin, KeepsWindowsWhileTheHostIsFull) {
  nebula::testing::PluginLibrary lib(kLibrary);
  nebula::testing::MockHost host;
  auto inst = host.create(lib.find(kId), R"({"window_s":10,"allowed_lateness_s":0})");
  host.set_full(true);
  ASSERT_EQ(inst.feed(test_rows::make_batch({sample(1, "a", 1, 10), sample(11, "a", 2, 10)})), NEBULA_OK);
  EXPECT_EQ(host.counter("insights_deferred"), 1.0);
  host.set_full(false);
  ASSERT_EQ(inst.feed(test_rows::make_batch({sample(21, "a", 3, 10)})), NEBULA_OK);
  auto out = host.insights("stream");
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(nlohmann::json::parse(out[0].json)["chains"]["testnet"]["windows"].size(), 2u) << "nothing was lost";
}

TEST(DataStreamPlugin, ValidateRejectsABadConfig) {
  nebula::testing::PluginLibrary lib(kLibrary);
  char err[NEBULA_ERROR_CAP] = {0};
  EXPECT_EQ(lib.find(kId)->validate_config(R"({"late_policy":"keep","window":60})", err, sizeof err), NEBULA_INVALID);
  std::string text = err;
  EXPECT_NE(text.find("/late_policy: must be"), std::string::npos) << text;
  EXPECT_NE(text.find("/window: unknown key"), std::string::npos) << text;
}
