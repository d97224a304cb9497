#include "postgres_server.hpp"

#include <fcntl.h>
#include <grp.h>
#include <libpq-fe.h>
#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <stdexcept>
#include <thread>

#include "nebula_test/free_port.hpp"

namespace nebula::sinks::testing {
namespace {

constexpr auto kStartDeadline = std::chrono::seconds(30);
constexpr auto kStopDeadline = std::chrono::seconds(30);

bool executable(const std::filesystem::path& p) { return ::access(p.c_str(), X_OK) == 0; }

bool has_server(const std::filesystem::path& dir) { return executable(dir / "initdb") && executable(dir / "postgres"); }

// Waits for `pid` to end within `deadline`; true when it did.
bool reaped(pid_t pid, std::chrono::steady_clock::duration deadline) {
  const auto until = std::chrono::steady_clock::now() + deadline;
  for (;;) {
    int status = 0;
    if (::waitpid(pid, &status, WNOHANG) == pid) return true;
    if (std::chrono::steady_clock::now() >= until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

}  // namespace

std::filesystem::path PostgresServer::binaries() {
  if (const char* env = std::getenv("NEBULA_PG_BINDIR"); env && *env) {
    if (has_server(env)) return env;
    throw std::runtime_error(std::string("NEBULA_PG_BINDIR=") + env + " holds no initdb and postgres");
  }
  std::vector<std::filesystem::path> found;
  std::error_code ec;
  for (const auto& version : std::filesystem::directory_iterator("/usr/lib/postgresql", ec))
    if (has_server(version.path() / "bin")) found.push_back(version.path() / "bin");
  if (found.empty())
    throw std::runtime_error(
        "the PostgreSQL server binaries (initdb, postgres) are not installed: no /usr/lib/postgresql/*/bin has them. "
        "Run scripts/install-deps (it installs the Debian packages postgresql and libpq-dev), or set "
        "NEBULA_PG_BINDIR to a folder that holds them.");
  // The newest major version: "16" sorts after "15"; numerically, so "9.6" comes first.
  return *std::max_element(found.begin(), found.end(), [](const auto& a, const auto& b) {
    return std::stod(a.parent_path().filename().string()) < std::stod(b.parent_path().filename().string());
  });
}

PostgresServer::Account PostgresServer::unprivileged_account() {
  if (::geteuid() != 0) return {};
  for (const char* name : {"postgres", "nobody"})
    if (const passwd* pw = ::getpwnam(name)) return {pw->pw_uid, pw->pw_gid, true};
  throw std::runtime_error("running as root, and neither a 'postgres' nor a 'nobody' account exists to run initdb as");
}

PostgresServer::PostgresServer() : bin_(binaries()), account_(unprivileged_account()) {
  if (account_.switch_to && ::chown(dir_.path().c_str(), account_.uid, account_.gid) != 0)
    throw std::runtime_error("cannot hand " + dir_.path().string() + " to the postgres account");
  init_database();
  for (int attempt = 0;; ++attempt) {  // the free port may be taken before postgres binds it
    port_ = nebula_test::free_port();
    if (launch()) return;
    if (attempt == 4) throw std::runtime_error("postgres did not start; log:\n" + log_text());
  }
}

std::string PostgresServer::dsn() const {
  return "host=127.0.0.1 port=" + std::to_string(port_) + " user=nebula dbname=postgres";
}

std::string PostgresServer::log_text() const { return nebula_test::read_file(dir_ / "server.log"); }

pid_t PostgresServer::spawn(const std::vector<std::string>& argv) const {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const std::string log = (dir_ / "server.log").string();
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid > 0) return pid;
  // The child: only async-signal-safe calls until exec.
  const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  if (fd >= 0) {
    ::dup2(fd, 1);
    ::dup2(fd, 2);
  }
  if (account_.switch_to &&
      (::setgroups(0, nullptr) != 0 || ::setgid(account_.gid) != 0 || ::setuid(account_.uid) != 0))
    ::_exit(126);
  // After setuid, which clears it: a crashed test leaves no server behind
  // (SIGQUIT: postgres' immediate shutdown, which ends its children too).
  ::prctl(PR_SET_PDEATHSIG, SIGQUIT);
  if (::getppid() != parent) ::_exit(127);
  ::execv(args[0], args.data());
  ::_exit(127);
}

void PostgresServer::init_database() {
  const pid_t pid = spawn({(bin_ / "initdb").string(), "-D", (dir_ / "data").string(), "-U", "nebula",
                           "--auth=trust", "--no-sync", "--encoding=UTF8", "--no-locale"});
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    throw std::runtime_error("initdb failed; log:\n" + log_text());
}

bool PostgresServer::launch() {
  const std::string data = (dir_ / "data").string();
  // fsync off: the tests stop the server cleanly; durability is not what they check.
  pid_ = spawn({(bin_ / "postgres").string(), "-D", data, "-k", data, "-p", std::to_string(port_), "-c",
                "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "max_connections=100"});
  const std::string probe = dsn() + " connect_timeout=2";
  const auto until = std::chrono::steady_clock::now() + kStartDeadline;
  while (std::chrono::steady_clock::now() < until) {
    if (PQping(probe.c_str()) == PQPING_OK) return true;
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  stop();
  throw std::runtime_error("postgres on port " + std::to_string(port_) + " did not accept connections; log:\n" +
                           log_text());
}

void PostgresServer::stop() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGINT);  // fast shutdown
  if (!reaped(pid_, kStopDeadline)) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
  pid_ = -1;
}

void PostgresServer::start() {
  if (running()) return;
  const auto until = std::chrono::steady_clock::now() + kStartDeadline;
  while (!launch()) {  // the old server's port may linger a moment
    if (std::chrono::steady_clock::now() >= until)
      throw std::runtime_error("postgres did not start again on port " + std::to_string(port_) + "; log:\n" +
                               log_text());
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

}  // namespace nebula::sinks::testing
