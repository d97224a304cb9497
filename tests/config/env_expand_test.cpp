#include "config/env_expand.hpp"

#include <cstdlib>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "pipeline_test_support.hpp"

namespace nebula::host {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using testing::fake_env;

const EnvLookup kEnv = fake_env({{"PORT", "7000"}, {"EMPTY", ""}, {"HOST", "example.org"}});

TEST(EnvExpand, TextWithoutReferencesIsUnchanged) {
  auto out = expand_env("plain $HOME cost: 5$ {braces}", kEnv);
  EXPECT_EQ(out.text, "plain $HOME cost: 5$ {braces}");
  EXPECT_THAT(out.errors, IsEmpty());
}

TEST(EnvExpand, SetVariableIsSubstituted) {
  EXPECT_EQ(expand_env("${HOST}:${PORT}", kEnv).text, "example.org:7000");
}

TEST(EnvExpand, UnsetVariableIsAnError) {
  auto out = expand_env("${NOPE}", kEnv);
  EXPECT_THAT(out.errors, ElementsAre("environment variable NOPE is not set"));
}

TEST(EnvExpand, SetButEmptyVariableIsFineWithoutOperator) {
  auto out = expand_env("[${EMPTY}]", kEnv);
  EXPECT_EQ(out.text, "[]");
  EXPECT_THAT(out.errors, IsEmpty());
}

TEST(EnvExpand, DefaultIsUsedWhenUnsetOrEmpty) {
  EXPECT_EQ(expand_env("${NOPE:-8080}", kEnv).text, "8080");
  EXPECT_EQ(expand_env("${EMPTY:-8080}", kEnv).text, "8080");
  EXPECT_EQ(expand_env("${PORT:-8080}", kEnv).text, "7000");
  EXPECT_EQ(expand_env("${NOPE:-}", kEnv).text, "");
}

TEST(EnvExpand, DefaultMayItselfReferToVariables) {
  EXPECT_EQ(expand_env("${NOPE:-${HOST}:${PORT}}", kEnv).text, "example.org:7000");
  EXPECT_EQ(expand_env("${NOPE:-${ALSO_NOPE:-deep}}", kEnv).text, "deep");
}

TEST(EnvExpand, DefaultIsOnlyExpandedWhenUsed) {
  auto out = expand_env("${PORT:-${NOPE}}", kEnv);
  EXPECT_EQ(out.text, "7000");
  EXPECT_THAT(out.errors, IsEmpty());
}

TEST(EnvExpand, RequiredVariableReportsTheGivenMessage) {
  EXPECT_THAT(expand_env("${NOPE:?set it to the API token}", kEnv).errors,
              ElementsAre("NOPE: set it to the API token"));
  EXPECT_THAT(expand_env("${EMPTY:?must not be empty}", kEnv).errors, ElementsAre("EMPTY: must not be empty"));
  EXPECT_THAT(expand_env("${NOPE:?}", kEnv).errors, ElementsAre("NOPE: is not set or empty"));
  EXPECT_EQ(expand_env("${PORT:?needed}", kEnv).text, "7000");
}

TEST(EnvExpand, DoubleDollarEscapesAReference) {
  auto out = expand_env("$${PORT} costs $$5 and ${PORT}", kEnv);
  EXPECT_EQ(out.text, "${PORT} costs $$5 and 7000");
  EXPECT_THAT(out.errors, IsEmpty());
}

TEST(EnvExpand, EveryFailedReferenceIsReported) {
  EXPECT_THAT(expand_env("${A}-${B:?needed}", kEnv).errors,
              ElementsAre("environment variable A is not set", "B: needed"));
}

TEST(EnvExpand, MalformedReferencesAreErrors) {
  EXPECT_THAT(expand_env("${PORT", kEnv).errors, ElementsAre("unterminated '${' in '${PORT' (missing '}')"));
  EXPECT_THAT(expand_env("${}", kEnv).errors,
              ElementsAre("invalid reference '${}': use ${NAME}, ${NAME:-default} or ${NAME:?message}"));
  EXPECT_THAT(expand_env("${1X}", kEnv).errors, ::testing::SizeIs(1));
  EXPECT_THAT(expand_env("${PORT+x}", kEnv).errors,
              ElementsAre("invalid reference '${PORT+x}': use ${NAME}, ${NAME:-default} or ${NAME:?message}"));
}

TEST(EnvExpand, ProcessEnvReadsTheRealEnvironment) {
  ::setenv("NEBULA_CONFIG_TEST_VAR", "from-process", 1);
  ::unsetenv("NEBULA_CONFIG_TEST_UNSET");
  const EnvLookup env = process_env();
  EXPECT_EQ(env("NEBULA_CONFIG_TEST_VAR"), "from-process");
  EXPECT_EQ(env("NEBULA_CONFIG_TEST_UNSET"), std::nullopt);
}

}  // namespace
}  // namespace nebula::host
