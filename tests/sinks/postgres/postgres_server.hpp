// A real PostgreSQL server for tests: initdb into a temporary directory, then
// `postgres` on a free port of 127.0.0.1 with its socket in that directory,
// trust authentication for the superuser "nebula". Stopped (and removed)
// with the object; stop() and start() in between keep the data.
//
// initdb and postgres refuse to run as root. As root, both run as the
// "postgres" account (created by Debian's postgresql package), else as
// "nobody": the forked child drops to that account before exec, and the
// temporary directory is handed to it.
//
// The binaries: $NEBULA_PG_BINDIR, else the newest /usr/lib/postgresql/*/bin.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

#include "nebula_test/temp_dir.hpp"

namespace nebula::sinks::testing {

class PostgresServer {
 public:
  // Throws std::runtime_error naming what is missing (with the way to
  // install it) or what the server logged.
  PostgresServer();
  ~PostgresServer() { stop(); }
  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;

  // A libpq connection string for the database `postgres`.
  std::string dsn() const;
  int port() const { return port_; }
  bool running() const { return pid_ > 0; }

  // Fast shutdown (sessions are ended, as when an operator stops it); waits.
  void stop();
  // Starts again on the same port and data; waits until it accepts connections.
  void start();
  std::string log_text() const;

 private:
  struct Account {
    uid_t uid = 0;
    gid_t gid = 0;
    bool switch_to = false;  // false: run as we are
  };

  static std::filesystem::path binaries();
  static Account unprivileged_account();
  pid_t spawn(const std::vector<std::string>& argv) const;
  void init_database();
  // Starts postgres and waits until it accepts connections; false when it
  // exited instead (typically: the port was taken meanwhile).
  bool launch();

  nebula_test::TempDir dir_{"nebula-postgres"};
  std::filesystem::path bin_;
  Account account_;
  int port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace nebula::sinks::testing
