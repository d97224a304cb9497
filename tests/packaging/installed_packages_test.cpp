// The Debian packages CPack builds from this tree (ctest fixture
// packaging_build, tests/packaging/build_packages.cmake), unpacked into a
// temporary root with dpkg-deb -x as an operator's machine would have them:
// what each ships, that its Depends cover every library its programs and
// plugins link, and that the installed pool runs the installed pipeline fed
// by the installed nebula-node, with nothing taken from the build tree.
#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>

#include "nebula/version.hpp"
#include "nebula_test/child_process.hpp"
#include "nebula_test/free_port.hpp"
#include "nebula_test/http_client.hpp"
#include "nebula_test/temp_dir.hpp"
#include "nebula_test/wait.hpp"

namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using nebula_test::run_and_capture;

const fs::path kPackageDir = NEBULA_TEST_PACKAGE_DIR;

struct Package {
  fs::path deb;
  std::string version;
  std::set<std::string> depends;  // package names, versions left out
  std::string depends_line;
  std::vector<std::string> files;  // "usr/bin/nebula-pool", no directories
};

std::string field(const fs::path& deb, const std::string& name) {
  auto [code, out] = run_and_capture("dpkg-deb -f '" + deb.string() + "' " + name);
  EXPECT_EQ(code, 0) << out;
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

// name -> package, for every .deb the fixture built.
std::map<std::string, Package> read_packages() {
  std::map<std::string, Package> out;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(kPackageDir, ec)) {
    if (entry.path().extension() != ".deb") continue;
    Package p{entry.path(), field(entry.path(), "Version"), {}, field(entry.path(), "Depends"), {}};
    std::stringstream deps(p.depends_line);
    for (std::string dep; std::getline(deps, dep, ',');) {
      std::smatch m;
      if (std::regex_search(dep, m, std::regex("([a-z0-9][a-z0-9.+-]+)"))) p.depends.insert(m[1]);
    }
    auto [code, listing] = run_and_capture("dpkg-deb -c '" + entry.path().string() + "'");
    EXPECT_EQ(code, 0) << listing;
    std::stringstream lines(listing);
    for (std::string line; std::getline(lines, line);) {
      if (line.empty() || line[0] == 'd') continue;  // directories
      const auto path = line.find("./");
      std::string file = line.substr(path + 2);
      if (auto arrow = file.find(" -> "); arrow != std::string::npos) file.resize(arrow);  // symlinks
      p.files.push_back(file);
    }
    out[field(entry.path(), "Package")] = std::move(p);
  }
  return out;
}

// Every package unpacked into one temporary root.
class InstalledRoot {
 public:
  explicit InstalledRoot(const std::map<std::string, Package>& packages) {
    for (const auto& [name, p] : packages) {
      auto [code, out] = run_and_capture("dpkg-deb -x '" + p.deb.string() + "' '" + root().string() + "'");
      EXPECT_EQ(code, 0) << name << ": " << out;
    }
  }
  fs::path root() const { return dir_.path() / "root"; }
  fs::path operator/(const std::string& relative) const { return root() / relative; }
  const nebula_test::TempDir& dir() const { return dir_; }

 private:
  nebula_test::TempDir dir_{"installed-packages"};
};

class InstalledPackages : public ::testing::Test {
 protected:
  void SetUp() override {
    packages_ = read_packages();
    if (packages_.size() < 4)
      GTEST_FAIL() << "expected the four packages in " << kPackageDir
                   << " (built by the ctest fixture packaging_build: ctest -R packaging)";
  }
  std::map<std::string, Package> packages_;
};

bool is_elf(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  char magic[4] = {};
  in.read(magic, 4);
  return in && std::string(magic, 4) == "\x7f" "ELF";
}

// The libraries `file` names itself (DT_NEEDED), each with the path the
// dynamic loader resolves it to here ("" when it cannot).
std::map<std::string, std::string> needed_libraries(const fs::path& file) {
  auto [code, dynamic] = run_and_capture("objdump -p '" + file.string() + "'");
  EXPECT_EQ(code, 0) << dynamic;
  auto [ldd_code, resolved] = run_and_capture("ldd '" + file.string() + "'");
  std::map<std::string, std::string> out;
  std::smatch m;
  static const std::regex needed(R"(NEEDED\s+(\S+))");
  for (auto it = std::sregex_iterator(dynamic.begin(), dynamic.end(), needed);
       it != std::sregex_iterator(); ++it)
    out[(*it)[1]] = "";
  std::stringstream lines(resolved);
  for (std::string line; std::getline(lines, line);)
    if (std::regex_search(line, m, std::regex(R"(^\s*(\S+) => (/\S+))")) && out.contains(m[1])) out[m[1]] = m[2];
  for (auto& [name, path] : out)
    if (path.empty() && name.rfind("ld-linux", 0) == 0) path = "/lib64/" + name;  // ldd lists the loader bare
  return out;
}

// The Debian package that owns `path` ("" if none) and the names it
// answers to (itself and what it Provides: libspdlog1.10 is also
// libspdlog1.10-fmt9). Debian 12 merges /lib into /usr/lib, and dpkg knows
// each file under only one of the two names. Cached: dpkg is slow to ask.
std::set<std::string> owning_package(const std::string& path) {
  static std::map<std::string, std::set<std::string>> known;
  if (auto it = known.find(path); it != known.end()) return it->second;
  std::set<std::string>& names = known[path];
  for (const std::string& candidate : {path, "/usr" + path, fs::weakly_canonical(path).string()}) {
    auto [code, out] = run_and_capture("dpkg -S '" + candidate + "'");
    if (code != 0) continue;
    const std::string owner = out.substr(0, out.find_first_of(":"));
    names.insert(owner);
    auto [provides_code, provides] = run_and_capture("dpkg-query -W -f='${Provides}' " + owner);
    std::stringstream list(provides);
    for (std::string name; std::getline(list, name, ',');)
      if (auto first = name.find_first_not_of(' '); first != std::string::npos)
        names.insert(name.substr(first, name.find_first_of(" (", first) - first));
    break;
  }
  return names;
}

bool depends_on_any(const Package& p, const std::set<std::string>& names) {
  for (const auto& n : names)
    if (p.depends.contains(n)) return true;
  return false;
}

TEST_F(InstalledPackages, ShipTheirFilesAndDependOnEveryLibraryTheyLink) {
  const std::map<std::string, std::vector<std::string>> expected{
      {"nebula-pool",
       {"usr/bin/nebula-pool", "usr/lib/nebula/plugins/libnebula_agent_analyst.so",
        "usr/lib/nebula/plugins/libnebula_processor_pattern.so", "usr/lib/nebula/plugins/libnebula_sink_sqlite.so",
        "etc/nebula/pipeline.yaml", "etc/default/nebula-pool", "usr/lib/systemd/system/nebula-pool.service"}},
      {"nebula-transports",
       {"usr/lib/nebula/plugins/libnebula_transport_http.so", "usr/lib/nebula/plugins/libnebula_transport_tcp.so"}},
      {"nebula-node",
       {"usr/bin/nebula-node", "usr/lib/libnebula_node.so.0", "usr/share/nebula/mappings/geth.yaml",
        "etc/default/nebula-node", "usr/lib/systemd/system/nebula-node.service"}},
      {"nebula-sdk-dev",
       {"usr/include/nebula/nebula_plugin.h", "usr/include/nebula/version.hpp", "usr/include/nebula_node.h",
        "usr/lib/cmake/NebulaSDK/NebulaSDKConfig.cmake", "usr/lib/libnebula_node.so"}}};
  std::map<std::string, std::string> owner;  // file -> package
  for (const auto& [name, files] : expected) {
    ASSERT_TRUE(packages_.contains(name)) << name;
    const Package& p = packages_.at(name);
    EXPECT_EQ(p.version, NEBULA_VERSION) << name;
    for (const auto& f : files)
      EXPECT_NE(std::find(p.files.begin(), p.files.end(), f), p.files.end()) << name << " lacks " << f;
  }
  for (const auto& [name, p] : packages_)
    for (const auto& f : p.files) {
      auto [it, fresh] = owner.emplace(f, name);
      EXPECT_TRUE(fresh) << f << " is in both " << it->second << " and " << name << ": dpkg would refuse one";
    }
  // The plugins a pool and a node load come with either.
  EXPECT_TRUE(packages_.at("nebula-pool").depends.contains("nebula-transports")) << packages_.at("nebula-pool").depends_line;
  EXPECT_TRUE(packages_.at("nebula-node").depends.contains("nebula-transports")) << packages_.at("nebula-node").depends_line;
  EXPECT_TRUE(packages_.at("nebula-sdk-dev").depends.contains("nebula-node"));
  EXPECT_TRUE(packages_.at("nebula-sdk-dev").depends.contains("nlohmann-json3-dev"));
  EXPECT_NE(packages_.at("nebula-pool").depends_line.find("nebula-transports (= " NEBULA_VERSION ")"), std::string::npos);
  // Programs built against libnebula_node.so.0 get a Depends on nebula-node from this.
  auto [shlibs_code, shlibs] = run_and_capture("dpkg-deb -I '" + packages_.at("nebula-node").deb.string() + "' shlibs");
  EXPECT_NE(shlibs.find("libnebula_node 0 nebula-node"), std::string::npos) << shlibs_code << " " << shlibs;

  // Every library every binary and plugin links resolves, and comes from the
  // package itself, another Nebula package it depends on, or a Debian package
  // in its Depends (the agents' libtorch, the sinks' libpq and libsqlite3, ...).
  InstalledRoot root(packages_);
  size_t checked = 0;
  std::set<std::string> torch_users;
  for (const auto& [name, p] : packages_) {
    for (const auto& f : p.files) {
      // Links (libnebula_node.so in the SDK) are checked as the file they point at, in its package.
      if (fs::is_symlink(root / f) || !is_elf(root / f)) continue;
      ++checked;
      for (const auto& [lib, path] : needed_libraries(root / f)) {
        ASSERT_FALSE(path.empty()) << f << " (" << name << ") needs " << lib << ", which does not resolve";
        if (path.rfind(root.root().string(), 0) == 0) {
          const std::string from = owner[fs::relative(fs::canonical(path), fs::canonical(root.root())).string()];
          EXPECT_TRUE(from == name || p.depends.contains(from)) << f << " needs " << lib << " from " << from;
          continue;
        }
        const std::set<std::string> debian = owning_package(path);
        ASSERT_FALSE(debian.empty()) << f << " needs " << path << ", which no Debian package owns";
        EXPECT_TRUE(depends_on_any(p, debian)) << name << " ships " << f << ", which needs " << lib << " from "
                                               << *debian.begin() << "; Depends: " << p.depends_line;
        if (debian.begin()->rfind("libtorch", 0) == 0) torch_users.insert(fs::path(f).filename().string());
      }
    }
  }
  EXPECT_GE(checked, 15u) << "binaries and plugins checked";
  EXPECT_EQ(torch_users, (std::set<std::string>{"libnebula_agent_analyst.so", "libnebula_agent_archivist.so",
                                                "libnebula_agent_resonant.so"}));
}

// `${NEBULA_..._PORT:-n}` in the installed pipeline, each given a free port.
std::vector<std::string> free_ports_for(const std::string& pipeline, std::map<std::string, unsigned short>& ports) {
  std::vector<std::string> env;
  static const std::regex port_variable(R"(\$\{(NEBULA_[A-Z_]*PORT):-)");
  for (auto it = std::sregex_iterator(pipeline.begin(), pipeline.end(), port_variable);
       it != std::sregex_iterator(); ++it)
    if (!ports.contains((*it)[1])) {
      ports[(*it)[1]] = nebula_test::free_port();
      env.push_back((*it)[1].str() + "=" + std::to_string(ports[(*it)[1]]));
    }
  return env;
}

TEST_F(InstalledPackages, InstalledPoolRunsTheInstalledPipelineFedByTheInstalledNode) {
  InstalledRoot root(packages_);
  for (const std::string program : {"nebula-pool", "nebula-node"}) {
    auto [code, out] = run_and_capture((root / ("usr/bin/" + program)).string() + " --version");
    EXPECT_EQ(out, nebula::version_line(program) + "\n") << code;
  }
  const fs::path config = root / "etc/nebula/pipeline.yaml";
  const std::string pipeline = nebula_test::read_file(config);
  // The installed file is used as shipped. Only what would clash with this
  // machine moves, through the variables the file itself reads: its state
  // (/var/lib/nebula) into the temporary root, its ports to free ones. No
  // plugin path is given: the pool must find its own, beside its binary.
  ASSERT_EQ(pipeline.find("plugins:"), std::string::npos) << "the installed pipeline names plugin folders";
  std::map<std::string, unsigned short> ports;
  std::vector<std::string> env = free_ports_for(pipeline, ports);
  ASSERT_TRUE(ports.contains("NEBULA_ADMIN_PORT") && ports.contains("NEBULA_HTTP_PORT")) << pipeline;
  const fs::path state = root / "var/lib/nebula";
  env.insert(env.end(), {"NEBULA_STATE_DIR=" + state.string(), "NEBULA_SPOOL_DIR=" + (state / "spool").string(),
                         "NEBULA_PLUGIN_PATH="});
  fs::create_directories(state / "spool");

  nebula_test::ChildProcess pool({(root / "usr/bin/nebula-pool").string(), "run", "-c", config.string()},
                                 (root.dir() / "pool.log").string(), env);
  auto log = [&] { return nebula_test::read_file(root.dir() / "pool.log"); };
  const auto admin = ports["NEBULA_ADMIN_PORT"];
  auto get = [&](const std::string& path) {
    try {
      return nebula_test::http_get(admin, path);
    } catch (const std::exception&) {
      return nebula_test::HttpResult{};  // not listening yet
    }
  };
  // The agents load libtorch first: a slow machine gets its minute.
  ASSERT_TRUE(nebula_test::wait_until([&] { return get("/readyz").status == 200 || !pool.running(); }, 120s)) << log();
  ASSERT_TRUE(pool.running()) << log();

  // Every plugin came from the installed tree, none was refused.
  const auto plugins = nlohmann::json::parse(get("/api/v1/plugins").body);
  EXPECT_TRUE(plugins["refused"].empty()) << plugins.dump(2);
  EXPECT_GE(plugins["plugins"].size(), 16u);
  for (const auto& p : plugins["plugins"])
    EXPECT_EQ(p["file"].get<std::string>().rfind((root / "usr/lib/nebula/plugins/").string(), 0), 0u) << p.dump();

  // The installed nebula-node finds libnebula_node and the transport plugin
  // in the installed tree too (RPATH $ORIGIN/../lib, <bin>/../lib/nebula/plugins).
  constexpr int kNodes = 6, kSteps = 5;
  nebula_test::ChildProcess node(
      {(root / "usr/bin/nebula-node").string(), "simulate", "--testnet", std::to_string(kNodes), "--steps",
       std::to_string(kSteps), "--max-rate", "--seed", "7", "--stats-every", "0", "--flush-timeout-ms", "60000",
       "--spill-dir", (root.dir() / "spill").string(), "--endpoint",
       "http://127.0.0.1:" + std::to_string(ports["NEBULA_HTTP_PORT"])},
      (root.dir() / "node.log").string(), {"NEBULA_PLUGIN_PATH="});
  const auto node_exit = node.wait_exit(120s);
  const std::string node_log = nebula_test::read_file(root.dir() / "node.log");
  ASSERT_EQ(node_exit, 0) << node_log;
  const auto summary = nlohmann::json::parse(node_log.substr(node_log.rfind("{\"command\"")));
  EXPECT_EQ(summary["delivered"], kNodes * kSteps) << summary.dump();

  // The pool accepted and processed each record once; processors made insights of them.
  auto pool_stats = [&] { return nlohmann::json::parse(get("/api/v1/pool/stats").body); };
  EXPECT_TRUE(nebula_test::wait_until([&] { return pool_stats()["pool"]["records_processed"] == kNodes * kSteps; }, 30s))
      << pool_stats().dump(2);
  const auto stats = pool_stats();
  EXPECT_EQ(stats["pool"]["records_accepted"], kNodes * kSteps) << stats.dump(2);
  EXPECT_EQ(stats["pool"]["records_rejected"], 0) << stats.dump(2);
  EXPECT_TRUE(fs::exists(state / "endpoints.json"));
  EXPECT_TRUE(fs::exists(state / "wal")) << "the write-ahead log lives in the state dir";

  pool.signal(SIGTERM);
  EXPECT_EQ(pool.wait_exit(60s), 0) << log();
  EXPECT_EQ(log().find("refused"), std::string::npos) << log();
}

}  // namespace
