// `nebula-pool test` (#18), run as an operator would: the real binary on the
// shipped pipeline and its shipped tests (config/tests/*.yaml), a broken
// test that must fail naming its condition, and bad test files that must be
// refused with file:line:col.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <regex>

#include "nebula_test/child_process.hpp"
#include "nebula_test/temp_dir.hpp"

namespace {

namespace fs = std::filesystem;
const std::string kPipeline = NEBULA_SOURCE_DIR "/config/pipeline.yaml";

// The shipped pipeline finds the build's plugins through NEBULA_PLUGIN_DIR.
std::pair<int, std::string> pool_test(const std::string& args) {
  return nebula_test::run_and_capture("NEBULA_PLUGIN_DIR=" NEBULA_PLUGIN_DIR " " NEBULA_POOL_BIN " test -c " +
                                      kPipeline + " " + args);
}

std::vector<std::string> shipped_tests() {
  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator(NEBULA_SOURCE_DIR "/config/tests"))
    if (e.path().extension() == ".yaml") files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  return files;
}

size_t count_of(const std::string& text, const std::string& word) {
  size_t n = 0;
  for (size_t at = text.find(word); at != std::string::npos; at = text.find(word, at + 1)) ++n;
  return n;
}

TEST(PipelineTestCommand, ShippedExamplesPassOnTheRealPlugins) {
  const auto files = shipped_tests();
  ASSERT_GE(files.size(), 2u);
  std::string args;
  for (const auto& f : files) args += f + " ";
  const auto [code, out] = pool_test(args);
  EXPECT_EQ(code, 0) << out;
  EXPECT_EQ(count_of(out, "FAIL"), 0u) << out;
  // Every test of every file ran, and fed records.
  const std::regex summary(R"((\d+) tests: (\d+) passed, 0 failed)");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(out, m, summary)) << out;
  EXPECT_GE(std::stoi(m[1]), 4);
  EXPECT_EQ(m[1], m[2]);
  EXPECT_EQ(count_of(out, "  PASS  "), size_t(std::stoi(m[1]))) << out;
  EXPECT_NE(out.find("PASS  a partition of three nodes is one incident naming them"), std::string::npos) << out;
  EXPECT_EQ(out.find(" 0 records"), std::string::npos) << "a test fed nothing:\n" << out;
}

TEST(PipelineTestCommand, BrokenExampleFailsNamingTheConditionAndWhatWasSeen) {
  const std::string broken = NEBULA_SOURCE_DIR "/tests/cli/fixtures/broken.yaml";
  const auto [code, out] = pool_test(broken);
  EXPECT_EQ(code, 1) << out;
  EXPECT_NE(out.find("FAIL  a stall expected on the wrong node"), std::string::npos) << out;
  // The failed condition, where it is written, what it asked and what came out.
  EXPECT_NE(out.find(broken + ":20:9: expect[1] 'the stall is on testnet-00004' failed: patterns: "
                              "started[*].node_id == \"testnet-00004\", count >= 1"),
            std::string::npos)
      << out;
  EXPECT_TRUE(std::regex_search(out, std::regex(R"(seen: 0 of \d+ patterns insights matched; values at )"
                                                R"(started\[\*\]\.node_id: "testnet-00003")")))
      << out;
  // The condition that holds is not reported.
  EXPECT_EQ(out.find("expect[0]"), std::string::npos) << out;
  EXPECT_NE(out.find("1 test: 0 passed, 1 failed"), std::string::npos) << out;
}

TEST(PipelineTestCommand, RejectedRecordsFailTheTestAtTheirLine) {
  nebula_test::TempDir dir("cli-pipeline-test");
  const auto file = dir.write("rejected.yaml", R"(tests:
  - name: one good record, one with a text height
    feed:
      - to: block_data
        records:
          - {timestamp: 1767225600, node_id: a, chain_id: testnet, seq: 1, blockchain: {current_height: 10}}
          - {timestamp: 1767225605, node_id: a, chain_id: testnet, seq: 2, blockchain: {current_height: ten}}
    expect:
      - {topic: blockchain, path: chains.testnet.tip_height, value: 10}
)");
  const auto [code, out] = pool_test(file.string());
  EXPECT_EQ(code, 1) << out;
  EXPECT_NE(out.find(file.string() + ":7:13: feed[0] to block_data records[1]: 1 record(s) rejected:"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("current_height"), std::string::npos) << "the pool's reason names the field:\n" << out;
  EXPECT_EQ(out.find("expect[0]"), std::string::npos) << "the good record was processed:\n" << out;
}

TEST(PipelineTestCommand, BadTestFilesAreRefusedAsFileLineCol) {
  nebula_test::TempDir dir("cli-pipeline-test");
  const auto syntax = dir.write("syntax.yaml", "tests:\n  - name: x\n    feed: [\n");
  const auto keys = dir.write("keys.yaml", R"(tests:
  - name: misspelt
    feed:
      - to: history
        records: [{timestamp: 1, node_id: a}]
      - to: nowhere
        scenario: {testnet_nodes: 2, duration_s: 60}
    expect:
      - {topic: patterns, path: "started[", op: "=~", value: 1}
      - {topic: patterns, count: some}
      - {topci: patterns}
)");
  auto [code, out] = pool_test(syntax.string());
  EXPECT_EQ(code, 2) << out;
  EXPECT_TRUE(std::regex_search(out, std::regex(syntax.string() + R"(:\d+:\d+: invalid YAML)"))) << out;

  std::tie(code, out) = pool_test(keys.string());
  EXPECT_EQ(code, 2) << out;
  const std::string k = keys.string();
  for (const std::string& expected : {
           k + ":4:13: 'history' is not a transport or processor, so it takes no records",
           k + ":6:13: no component 'nowhere' in",
           k + ":9:33: tests[0].expect[0].path 'started[': unclosed '[' at position 8",
           k + ":9:49: tests[0].expect[0].op must be one of ==, !=, <, <=, >, >=, exists, contains, got '=~'",
           k + ":10:34: tests[0].expect[1].count must be a number (exactly that many) or a comparison",
           k + ":11:10: unknown key 'topci' in tests[0].expect[2]",
           std::string("did you mean 'topic'?"),
       })
    EXPECT_NE(out.find(expected), std::string::npos) << expected << "\n" << out;
  EXPECT_EQ(out.find("op exists takes no value"), std::string::npos) << "a bad op is said once:\n" << out;
  EXPECT_NE(out.find("7 problems in the test files; no test run"), std::string::npos) << out;
  EXPECT_EQ(out.find("PASS"), std::string::npos) << "nothing runs when a file is bad:\n" << out;
}

}  // namespace
