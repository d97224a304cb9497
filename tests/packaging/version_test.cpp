// --version of both binaries comes from one place: the generated
// nebula/version.hpp (project(VERSION) and the ABI macros of nebula_plugin.h).
#include <gtest/gtest.h>

#include "nebula/version.hpp"
#include "nebula_test/child_process.hpp"

namespace {

TEST(Version, BothBinariesPrintTheProjectVersionAndThePluginAbiOfTheHeader) {
  const std::string abi = std::to_string(NEBULA_ABI_MAJOR) + "." + std::to_string(NEBULA_ABI_MINOR);
  for (const auto& [program, binary] : {std::pair{"nebula-pool", NEBULA_POOL_BIN}, std::pair{"nebula-node", NEBULA_NODE_BIN}}) {
    auto [code, out] = nebula_test::run_and_capture(std::string(binary) + " --version");
    EXPECT_EQ(code, 0) << out;
    EXPECT_EQ(out, nebula::version_line(program) + "\n");
    EXPECT_EQ(out, std::string(program) + " " NEBULA_VERSION " (plugin ABI " + abi + ")\n");
  }
  EXPECT_STREQ(NEBULA_VERSION, NEBULA_PROJECT_VERSION);  // the header follows project(VERSION)
}

}  // namespace
