// One PostgreSQL server per test binary (starting one costs a second or two):
// a gtest Environment starts it before the first test and stops it after the
// last. Each test keeps its data apart in a schema of its own.
#pragma once

#include "postgres_server.hpp"

namespace nebula::sinks::testing {

// The server, or nullptr with `why` saying what kept it from starting.
PostgresServer* shared_postgres(std::string& why);

}  // namespace nebula::sinks::testing
