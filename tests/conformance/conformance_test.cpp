// Every plugin built in the tree obeys the ABI rules: it loads, exports only
// the entry symbol, has a well-formed descriptor with the capability of its
// kind, validates configs by value (never crashes), rejects unknown keys,
// and can be created with its defaults and destroyed.
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>

#include "nebula/testing/mock_host.hpp"
#include "nebula_test/child_process.hpp"
#include "runtime/plugin_registry.hpp"

namespace {

std::vector<std::string> plugin_files() {
  std::vector<std::string> files;
  std::error_code ec;
  for (auto& e : std::filesystem::directory_iterator(NEBULA_PLUGIN_DIR, ec))
    if (e.path().extension() == ".so") files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  return files;
}

class Conformance : public ::testing::TestWithParam<std::string> {};

nebula_status validate(const nebula_plugin_descriptor* d, const std::string& cfg, std::string& err) {
  char buf[NEBULA_ERROR_CAP] = {0};
  nebula_status st = d->validate_config(cfg.c_str(), buf, sizeof buf);
  err = buf;
  return st;
}

}  // namespace

TEST(ConformanceSuite, TheTreeBuildsPlugins) { EXPECT_GE(plugin_files().size(), 1u) << NEBULA_PLUGIN_DIR; }

TEST_P(Conformance, LoadsCleanly) {
  nebula::host::PluginRegistry r;
  EXPECT_TRUE(r.load_file(GetParam()));
  for (auto& e : r.errors()) ADD_FAILURE() << e.file << ": " << e.message;
}

TEST_P(Conformance, ExportsOnlyTheEntrySymbol) {
  auto [code, out] = nebula_test::run_and_capture("nm -D --defined-only '" + GetParam() + "'");
  ASSERT_EQ(code, 0) << out;
  std::istringstream lines(out);
  std::string line;
  int entries = 0;
  while (std::getline(lines, line)) {
    if (line.find(" nebula_plugin_entry") != std::string::npos) ++entries;
    else if (!line.empty()) ADD_FAILURE() << "unexpected exported symbol: " << line;
  }
  EXPECT_EQ(entries, 1);
}

TEST_P(Conformance, DescriptorsAreWellFormed) {
  nebula::testing::PluginLibrary lib(GetParam());
  const auto& entry = lib.entry();
  EXPECT_EQ(entry.abi_major, static_cast<uint32_t>(NEBULA_ABI_MAJOR));
  EXPECT_LE(entry.abi_minor, static_cast<uint32_t>(NEBULA_ABI_MINOR));
  ASSERT_GE(entry.plugin_count, 1u);
  static const std::regex semver(R"(^\d+\.\d+\.\d+([-+].*)?$)");
  for (size_t i = 0; i < entry.plugin_count; ++i) {
    const auto* d = entry.plugins[i];
    SCOPED_TRACE(d->id);
    EXPECT_EQ(d->struct_size, sizeof(nebula_plugin_descriptor));
    EXPECT_EQ(nebula::host::check_plugin_id(d->id), "");
    EXPECT_TRUE(std::regex_match(d->version, semver)) << d->version;
    EXPECT_GT(std::strlen(d->name), 0u);
    EXPECT_GT(std::strlen(d->description), 0u);
    const std::string id = d->id;
    switch (d->kind) {
      case NEBULA_KIND_PROCESSOR:
        EXPECT_EQ(id.rfind("nebula.processor.", 0), 0u);
        EXPECT_NE(d->get_capability(NEBULA_CAP_PROCESSOR), nullptr);
        break;
      case NEBULA_KIND_AGENT:
        EXPECT_EQ(id.rfind("nebula.agent.", 0), 0u);
        EXPECT_NE(d->get_capability(NEBULA_CAP_AGENT), nullptr);
        break;
      case NEBULA_KIND_TRANSPORT:
        EXPECT_EQ(id.rfind("nebula.transport.", 0), 0u);
        EXPECT_NE(d->get_capability(NEBULA_CAP_TRANSPORT_SERVER), nullptr);
        // Transports have a client side too, except ethstats: its client is the
        // Ethereum node's own (geth --ethstats), see docs/transports.md.
        if (id != "nebula.transport.ethstats") {
          EXPECT_NE(d->get_capability(NEBULA_CAP_TRANSPORT_CLIENT), nullptr) << "transports have a client side too";
        }
        break;
      case NEBULA_KIND_SINK: {
        EXPECT_EQ(id.rfind("nebula.sink.", 0), 0u);
        const auto* sink = static_cast<const nebula_sink_v1*>(d->get_capability(NEBULA_CAP_SINK));
        ASSERT_NE(sink, nullptr);
        EXPECT_EQ(sink->struct_size, sizeof(nebula_sink_v1));
        EXPECT_NE(sink->deliver, nullptr);
        break;
      }
      default:
        ADD_FAILURE() << "unknown kind " << d->kind;
    }
    EXPECT_EQ(d->get_capability("nebula.no-such-capability/1"), nullptr);
    EXPECT_EQ(d->get_capability(nullptr), nullptr);
  }
}

TEST_P(Conformance, ValidatesConfigsByValue) {
  nebula::testing::PluginLibrary lib(GetParam());
  for (size_t i = 0; i < lib.entry().plugin_count; ++i) {
    const auto* d = lib.entry().plugins[i];
    SCOPED_TRACE(d->id);
    std::string err;
    // Defaults must be valid, unless the plugin names a key it cannot default.
    if (validate(d, "{}", err) != NEBULA_OK) {
      EXPECT_NE(err.find("required"), std::string::npos) << "empty config refused without naming a required key: " << err;
    }
    EXPECT_EQ(validate(d, "[1,2]", err), NEBULA_INVALID);
    EXPECT_FALSE(err.empty());
    EXPECT_EQ(validate(d, "{not json", err), NEBULA_INVALID);
    EXPECT_EQ(validate(d, R"({"surely_not_a_real_key": 1})", err), NEBULA_INVALID) << "unknown keys must be errors";
    EXPECT_NE(err.find("/surely_not_a_real_key"), std::string::npos) << "errors carry a JSON pointer: " << err;
  }
}

TEST_P(Conformance, CreatesWithDefaultsAndDestroys) {
  nebula::testing::PluginLibrary lib(GetParam());
  for (size_t i = 0; i < lib.entry().plugin_count; ++i) {
    const auto* d = lib.entry().plugins[i];
    SCOPED_TRACE(d->id);
    nebula::testing::MockHost host;
    void* inst = nullptr;
    char err[NEBULA_ERROR_CAP] = {0};
    std::string why;
    if (validate(d, "{}", why) == NEBULA_OK) {
      ASSERT_EQ(d->create(host.table(), "{}", &inst, err, sizeof err), NEBULA_OK) << err;
      d->destroy(inst);
    }
    EXPECT_EQ(d->create(host.table(), R"({"surely_not_a_real_key": 1})", &inst, err, sizeof err), NEBULA_INVALID);
    std::filesystem::remove_all(host.state_dir());
  }
}

INSTANTIATE_TEST_SUITE_P(TreePlugins, Conformance, ::testing::ValuesIn(plugin_files()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           auto name = std::filesystem::path(info.param).stem().string();
                           for (auto& c : name)
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           return name;
                         });
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(Conformance);
