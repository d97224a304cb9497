// The nebula-pool command line: validate reports every problem with
// file:line:col and a non-zero exit; plugins lists id, kind, version, ABI.
#include <gtest/gtest.h>

#include "nebula_test/child_process.hpp"
#include "nebula_test/temp_dir.hpp"

using nebula_test::run_and_capture;

TEST(Cli, HelpListsTheSubcommands) {
  auto [code, out] = run_and_capture(std::string(NEBULA_POOL_BIN) + " --help");
  EXPECT_EQ(code, 0);
  for (const char* cmd : {"run", "validate", "plugins"}) EXPECT_NE(out.find(cmd), std::string::npos) << out;
  auto [run_code, run_out] = run_and_capture(std::string(NEBULA_POOL_BIN) + " run --help");
  EXPECT_EQ(run_code, 0);
  EXPECT_NE(run_out.find("--config"), std::string::npos);
}

TEST(Cli, ValidateReportsEveryProblemWithLineAndColumn) {
  nebula_test::TempDir dir("cli-validate");
  auto yaml = dir.write("bad.yaml",
                        "plugins:\n"
                        "  paths: [\"" NEBULA_BINARY_DIR "/test-plugins\"]\n"
                        "components:\n"
                        "  - id: count\n"
                        "    plugin: nebula.test.counting\n"
                        "    inputs: [feeed]\n"
                        "    config: {delay_ms: -1}\n"
                        "  - id: ghost\n"
                        "    plugin: nebula.test.nothing_here\n"
                        "    inputs: [count]\n");
  auto [code, out] = run_and_capture(std::string(NEBULA_POOL_BIN) + " validate -c " + yaml.string());
  EXPECT_NE(code, 0);
  const std::string file = yaml.string();
  EXPECT_NE(out.find(file + ":6:14:"), std::string::npos) << out;   // unknown input
  EXPECT_NE(out.find(file + ":7:14:"), std::string::npos) << out;   // plugin's own config error, at its key
  EXPECT_NE(out.find("must be between 0 and 60000"), std::string::npos) << out;
  EXPECT_NE(out.find(file + ":9:13:"), std::string::npos) << out;   // unknown plugin id
}

TEST(Cli, ValidateAcceptsAGoodPipeline) {
  nebula_test::TempDir dir("cli-validate-ok");
  auto yaml = dir.write("ok.yaml",
                        "plugins:\n  paths: [\"" NEBULA_BINARY_DIR "/test-plugins\"]\ncomponents:\n"
                        "  - {id: feed, plugin: nebula.test.fake_transport}\n"
                        "  - {id: count, plugin: nebula.test.counting, inputs: [feed]}\n");
  auto [code, out] = run_and_capture(std::string(NEBULA_POOL_BIN) + " validate -c " + yaml.string());
  EXPECT_EQ(code, 0) << out;
  EXPECT_NE(out.find("OK (2 components"), std::string::npos) << out;
}

TEST(Cli, PluginsListsIdKindVersionAbiAndRefusals) {
  auto [code, out] = run_and_capture(std::string(NEBULA_POOL_BIN) + " plugins -d " NEBULA_BINARY_DIR
                                     "/test-plugins -d " NEBULA_BINARY_DIR "/test-plugins-bad");
  EXPECT_EQ(code, 0) << out;
  EXPECT_NE(out.find("nebula.test.counting"), std::string::npos) << out;
  EXPECT_NE(out.find("processor"), std::string::npos);
  EXPECT_NE(out.find("1.0.0"), std::string::npos);
  EXPECT_NE(out.find("built for ABI 2.0"), std::string::npos) << out;
  EXPECT_NE(out.find("built for ABI 1.99"), std::string::npos) << out;
}
