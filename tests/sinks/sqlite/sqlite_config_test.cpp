// The sink's config: defaults, JSON-pointer errors, where the file goes.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "sqlite_sink_fixture.hpp"

namespace nebula::sinks::testing {
namespace {

using ::testing::HasSubstr;
using nebula::testing::MockHost;

std::string validate(const std::string& config) {
  char err[NEBULA_ERROR_CAP] = {};
  const nebula_status st = sqlite_sink()->validate_config(config.c_str(), err, sizeof err);
  return st == NEBULA_OK ? "" : err;
}

TEST(SqliteSinkConfig, DescribesItselfAsASinkWithHistory) {
  const auto* d = sqlite_sink();
  EXPECT_EQ(d->kind, NEBULA_KIND_SINK);
  const auto* table = static_cast<const nebula_sink_v1*>(d->get_capability(NEBULA_CAP_SINK));
  ASSERT_NE(table, nullptr);
  EXPECT_NE(table->query, nullptr);
  EXPECT_EQ(d->get_capability(NEBULA_CAP_PROCESSOR), nullptr);
}

TEST(SqliteSinkConfig, AcceptsEveryKeyInRange) {
  EXPECT_EQ(validate("{}"), "");
  EXPECT_EQ(validate(R"({"path": "/tmp/x.sqlite", "retention_age_s": 86400, "retention_max_bytes": 1048576,
                         "retention_check_s": 30})"),
            "");
}

TEST(SqliteSinkConfig, ReportsEveryBadKeyWithItsPointer) {
  const std::string err = validate(R"({"path": "", "retention_age_s": 5, "retention_max_bytes": 1.5,
                                       "retention_check_s": "often", "retention": 1})");
  EXPECT_THAT(err, HasSubstr("/path: must not be empty"));
  EXPECT_THAT(err, HasSubstr("/retention_age_s: must be between 60 and"));
  EXPECT_THAT(err, HasSubstr("/retention_max_bytes: must be between 65536 and"));
  EXPECT_THAT(err, HasSubstr("/retention_check_s: must be a number"));
  EXPECT_THAT(err, HasSubstr("/retention: unknown key"));
  EXPECT_THAT(validate(R"({"retention_max_bytes": 100000.5})"),
              HasSubstr("/retention_max_bytes: must be a whole number"));
  MockHost host;
  EXPECT_THROW(host.create(sqlite_sink(), R"({"retention_age_s": 1})"), std::runtime_error);
}

TEST(SqliteSinkConfig, TheDatabaseIsInTheStateFolderUnlessAPathIsGiven) {
  TempDir dir;
  {
    MockHost host(dir.path() / "state");
    auto sink = host.create(sqlite_sink());
    EXPECT_TRUE(std::filesystem::exists(dir.path() / "state" / "insights.sqlite"));
  }
  {
    MockHost host(dir.path() / "state");
    auto sink = host.create(sqlite_sink(), R"({"path": "history/pool.sqlite"})");  // relative: in the state folder
    EXPECT_TRUE(std::filesystem::exists(dir.path() / "state" / "history" / "pool.sqlite"));
  }
  {
    MockHost host(dir.path() / "state");
    const std::string absolute = (dir.path() / "elsewhere" / "h.sqlite").string();
    auto sink = host.create(sqlite_sink(), nlohmann::json{{"path", absolute}}.dump());
    EXPECT_TRUE(std::filesystem::exists(absolute));
  }
}

// create() fails naming the file, rather than the first deliver().
std::string create_error(const std::filesystem::path& state, const std::string& config) {
  MockHost host(state);
  try {
    host.create(sqlite_sink(), config);
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  ADD_FAILURE() << "created with " << config;
  return {};
}

TEST(SqliteSinkConfig, APathThatIsNoDatabaseIsRefusedAtCreateNamingIt) {
  TempDir dir;
  std::filesystem::create_directories(dir.path() / "a-folder");
  EXPECT_THAT(create_error(dir.path(), R"({"path": "a-folder"})"), HasSubstr("a-folder"));
  {
    std::ofstream text(dir.path() / "notes.txt");
    text << "these are not the pages of a database, just some text that is long enough to have a header\n";
  }
  const std::string err = create_error(dir.path(), R"({"path": "notes.txt"})");
  EXPECT_THAT(err, HasSubstr("notes.txt"));
  EXPECT_THAT(err, HasSubstr("not a database"));
}

}  // namespace
}  // namespace nebula::sinks::testing
