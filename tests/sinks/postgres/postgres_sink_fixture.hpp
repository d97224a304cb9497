// Drives the real libnebula_sink_postgres.so against the shared test server,
// each test in a schema of its own (dropped first, so a re-run starts empty).
// Delivering and querying as the host would: the sink-agnostic helpers of
// the sqlite sink's tests (deliver, query, all_pages, timed).
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "nebula/testing/mock_host.hpp"
#include "postgres_environment.hpp"
#include "sqlite_sink_fixture.hpp"

namespace nebula::sinks::testing {

const nebula_plugin_descriptor* postgres_sink();

// The first `count` golden insights of `topic` that name at least one node.
std::vector<GoldenInsight> golden_about_nodes(const std::string& topic, size_t count);

class PostgresSinkTest : public ::testing::Test {
 protected:
  void SetUp() override;

  // A config on this test's schema and the shared server; `extra` adds or
  // replaces keys (e.g. host_id, retention limits).
  nlohmann::json config(const nlohmann::json& extra = nlohmann::json::object()) const;
  nebula::testing::Instance create_sink(const nlohmann::json& extra = nlohmann::json::object()) {
    return host_.create(postgres_sink(), config(extra).dump());
  }
  // The first value of the first row `statement` returns, as text.
  std::string sql_value(const std::string& statement) const;
  // Rows in one of this test's tables, e.g. "insights".
  int64_t rows_in(const std::string& table) const;

  PostgresServer* server_ = nullptr;
  std::string schema_;
  nebula::testing::MockHost host_;
};

}  // namespace nebula::sinks::testing
