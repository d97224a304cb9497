// The sink's config: every key checked by value with a JSON pointer, the DSN
// parsed by libpq (and never echoed: it may hold a password), dsn_file read.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "nebula_test/temp_dir.hpp"
#include "postgres_config.hpp"

namespace nebula::sinks::postgres {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using nlohmann::json;

std::string problems(const json& cfg) {
  ConfigErrors errors;
  parse_config(cfg, &errors);
  return errors.text();
}

TEST(PostgresConfig, DefaultsAroundARequiredDsn) {
  EXPECT_THAT(problems(json::object()), HasSubstr("/dsn: required"));
  const Config c = parse_config({{"dsn", "host=db dbname=nebula"}});
  EXPECT_EQ(c.dsn, "host=db dbname=nebula");
  EXPECT_EQ(c.schema, "nebula");
  EXPECT_EQ(c.table_prefix, "");
  EXPECT_EQ(c.retention_age_s, 7 * 86400.0);
  EXPECT_EQ(c.retention_max_rows, 10'000'000);
  EXPECT_EQ(c.retention_check_s, 60);
  EXPECT_EQ(c.connect_timeout_s, 5);
  EXPECT_FALSE(effective_host_id(c).empty());  // the hostname
  EXPECT_EQ(problems({{"dsn", "postgresql://pool@db:5432/nebula"}}), "");
}

TEST(PostgresConfig, ABadDsnIsNamedWithoutEchoingIt) {
  const std::string text = problems({{"dsn", "host=db password=s3cret nonsense"}});
  EXPECT_THAT(text, HasSubstr("/dsn: not a libpq connection string"));
  EXPECT_THAT(text, Not(HasSubstr("s3cret")));
  EXPECT_THAT(problems({{"dsn", ""}}), HasSubstr("/dsn: must not be empty"));
  EXPECT_THAT(problems({{"dsn", 5}}), HasSubstr("/dsn: must be a string"));
}

TEST(PostgresConfig, DsnFromAFile) {
  nebula_test::TempDir dir("nebula-pg-config");
  const auto file = dir.write("dsn", "host=db dbname=nebula password=s3cret\n");
  EXPECT_EQ(parse_config({{"dsn_file", file.string()}}).dsn, "host=db dbname=nebula password=s3cret");
  EXPECT_EQ(problems({{"dsn_file", file.string()}}), "");
  EXPECT_THAT(problems({{"dsn_file", (dir / "missing").string()}}), HasSubstr("/dsn_file: cannot read"));
  EXPECT_THAT(problems({{"dsn_file", dir.write("empty", "\n").string()}}), HasSubstr("is empty"));
  EXPECT_THAT(problems({{"dsn", "host=db"}, {"dsn_file", file.string()}}), HasSubstr("/dsn_file: give dsn or dsn_file, not both"));
}

TEST(PostgresConfig, NamesAreLowerCaseIdentifiers) {
  EXPECT_EQ(problems({{"dsn", "host=db"}, {"schema", "pool_history"}, {"table_prefix", "staging_"}}), "");
  EXPECT_THAT(problems({{"dsn", "host=db"}, {"schema", "Pool-History"}}), HasSubstr("/schema: must be lower-case"));
  EXPECT_THAT(problems({{"dsn", "host=db"}, {"schema", ""}}), HasSubstr("/schema: must not be empty"));
  EXPECT_THAT(problems({{"dsn", "host=db"}, {"table_prefix", "1st_"}}), HasSubstr("/table_prefix: must be lower-case"));
  EXPECT_THAT(problems({{"dsn", "host=db"}, {"table_prefix", std::string(33, 'p')}}),
              HasSubstr("/table_prefix: must be at most 32 bytes"));
  EXPECT_THAT(problems({{"dsn", "host=db"}, {"host_id", ""}}), HasSubstr("/host_id: must be 1 to 256 bytes"));
  EXPECT_EQ(effective_host_id(parse_config({{"dsn", "host=db"}, {"host_id", "pool-7"}})), "pool-7");
}

TEST(PostgresConfig, LimitsAndUnknownKeys) {
  EXPECT_THAT(problems({{"dsn", "host=db"}, {"retention_max_rows", 0}}), HasSubstr("/retention_max_rows: must be between 1"));
  EXPECT_THAT(problems({{"dsn", "host=db"}, {"retention_max_rows", 10.5}}), HasSubstr("must be a whole number"));
  EXPECT_THAT(problems({{"dsn", "host=db"}, {"retention_age_s", 1}}), HasSubstr("/retention_age_s: must be between 60"));
  EXPECT_THAT(problems({{"dsn", "host=db"}, {"retention_check_s", 0}}), HasSubstr("/retention_check_s"));
  EXPECT_THAT(problems({{"dsn", "host=db"}, {"connect_timeout_s", 0}}), HasSubstr("/connect_timeout_s"));
  EXPECT_THAT(problems({{"dsn", "host=db"}, {"retention_max_bytes", 1}}), HasSubstr("/retention_max_bytes: unknown key"));
}

}  // namespace
}  // namespace nebula::sinks::postgres
