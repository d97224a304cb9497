#include "postgres_sink_fixture.hpp"

#include <cctype>

#include "insight_subjects.hpp"
#include "pg_connection.hpp"

namespace nebula::sinks::testing {
namespace {

// "PostgresOutage.RetryThenDeliver" -> "t_postgresoutage_retrythendeliver"
std::string schema_of_this_test() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string name = "t_" + std::string(info->test_suite_name()) + "_" + info->name();
  for (auto& c : name) c = std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::tolower(c)) : '_';
  return name.substr(0, 63);
}

}  // namespace

const nebula_plugin_descriptor* postgres_sink() {
  static nebula::testing::PluginLibrary lib(std::string(NEBULA_PLUGIN_DIR) + "/libnebula_sink_postgres.so");
  return lib.find("nebula.sink.postgres");
}

std::vector<GoldenInsight> golden_about_nodes(const std::string& topic, size_t count) {
  std::vector<GoldenInsight> out;
  for (const auto& g : golden_of_topic(topic))
    if (out.size() < count && !insight_subjects(g.doc.dump())->nodes.empty()) out.push_back(g);
  return out;
}

void PostgresSinkTest::SetUp() {
  std::string why;
  server_ = shared_postgres(why);
  ASSERT_NE(server_, nullptr) << why;
  schema_ = schema_of_this_test();
  sql_value("SET client_min_messages = warning; DROP SCHEMA IF EXISTS " + schema_ + " CASCADE; SELECT 1");
}

nlohmann::json PostgresSinkTest::config(const nlohmann::json& extra) const {
  nlohmann::json c = {{"dsn", server_->dsn()}, {"schema", schema_}, {"host_id", "pool-a"}, {"connect_timeout_s", 2}};
  c.update(extra);
  return c;
}

std::string PostgresSinkTest::sql_value(const std::string& statement) const {
  postgres::Connection c({server_->dsn(), 2, "nebula-test"});
  const postgres::Result r = c.exec(statement);
  return r.rows() > 0 ? r.text(0, 0) : std::string();
}

int64_t PostgresSinkTest::rows_in(const std::string& table) const {
  return std::stoll(sql_value("SELECT count(*) FROM " + schema_ + "." + table));
}

}  // namespace nebula::sinks::testing
