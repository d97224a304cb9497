#include "postgres_environment.hpp"

#include <gtest/gtest.h>

#include <memory>

namespace nebula::sinks::testing {
namespace {

class PostgresEnvironment : public ::testing::Environment {
 public:
  void SetUp() override {
    try {
      server_ = std::make_unique<PostgresServer>();
    } catch (const std::exception& e) {
      error_ = e.what();  // every test then fails with it
    }
  }
  void TearDown() override { server_.reset(); }

  std::unique_ptr<PostgresServer> server_;
  std::string error_ = "the PostgreSQL test environment was not set up";
};

PostgresEnvironment* const environment =
    static_cast<PostgresEnvironment*>(::testing::AddGlobalTestEnvironment(new PostgresEnvironment));

}  // namespace

PostgresServer* shared_postgres(std::string& why) {
  why = environment->error_;
  return environment->server_.get();
}

}  // namespace nebula::sinks::testing
