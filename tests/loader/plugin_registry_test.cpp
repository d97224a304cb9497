// The loader accepts a good plugin and refuses every broken one with a
// message naming the file, its ABI and what the host accepts — and keeps going.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

#include "nebula_test/temp_dir.hpp"
#include "runtime/plugin_registry.hpp"

using nebula::host::PluginRegistry;

namespace {

const std::string kGood = NEBULA_BINARY_DIR "/test-plugins";
const std::string kBad = NEBULA_BINARY_DIR "/test-plugins-bad";

std::string only_error(const PluginRegistry& r) {
  EXPECT_EQ(r.errors().size(), 1u);
  return r.errors().empty() ? "" : r.errors().front().file + ": " + r.errors().front().message;
}

}  // namespace

TEST(PluginRegistry, LoadsAGoodPluginAndIndexesItById) {
  PluginRegistry r;
  ASSERT_TRUE(r.load_file(kGood + "/libnebula_test_counting_processor.so"));
  const auto* p = r.find("nebula.test.counting");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->descriptor->kind, NEBULA_KIND_PROCESSOR);
  EXPECT_EQ(p->abi_major, 1u);
  EXPECT_STREQ(p->descriptor->version, "1.0.0");
  EXPECT_TRUE(r.errors().empty());
}

TEST(PluginRegistry, RefusesAnotherAbiMajorNamingFileAbiAndAcceptedRange) {
  PluginRegistry r;
  EXPECT_FALSE(r.load_file(kBad + "/libnebula_test_wrong_major.so"));
  const std::string e = only_error(r);
  EXPECT_NE(e.find("libnebula_test_wrong_major.so"), std::string::npos) << e;
  EXPECT_NE(e.find("built for ABI 2.0, another major version"), std::string::npos) << e;
  EXPECT_NE(e.find("this host accepts ABI 1.0 to 1." + std::to_string(NEBULA_ABI_MINOR)), std::string::npos) << e;
  EXPECT_EQ(r.find("nebula.test.abi_variant"), nullptr);
}

TEST(PluginRegistry, RefusesANewerMinor) {
  PluginRegistry r;
  EXPECT_FALSE(r.load_file(kBad + "/libnebula_test_newer_minor.so"));
  const std::string e = only_error(r);
  EXPECT_NE(e.find("libnebula_test_newer_minor.so"), std::string::npos) << e;
  EXPECT_NE(e.find("built for ABI 1.99, newer than this host"), std::string::npos) << e;
  EXPECT_NE(e.find("this host accepts ABI 1.0 to 1."), std::string::npos) << e;
}

TEST(PluginRegistry, RefusesALibraryWithoutTheEntrySymbol) {
  PluginRegistry r;
  EXPECT_FALSE(r.load_file(kBad + "/libnebula_test_no_entry.so"));
  const std::string e = only_error(r);
  EXPECT_NE(e.find("no 'nebula_plugin_entry' symbol"), std::string::npos) << e;
}

TEST(PluginRegistry, RefusesAFileThatIsNotASharedLibrary) {
  PluginRegistry r;
  EXPECT_FALSE(r.load_file(kBad + "/libnebula_test_not_a_library.so"));
  const std::string e = only_error(r);
  EXPECT_NE(e.find("not a loadable shared library"), std::string::npos) << e;
}

TEST(PluginRegistry, ADirectoryWithBadLibrariesStillYieldsTheGoodOnes) {
  PluginRegistry r;
  r.load_directories({kBad, kGood});
  EXPECT_NE(r.find("nebula.test.counting"), nullptr);
  EXPECT_NE(r.find("nebula.test.recording_agent"), nullptr);
  EXPECT_NE(r.find("nebula.test.create_fails"), nullptr);  // loads; it fails only at create()
  EXPECT_EQ(r.errors().size(), 4u);  // wrong major, newer minor, no entry, not a library
}

TEST(PluginRegistry, ASecondCopyOfAnIdIsRefusedNamingTheFirst) {
  nebula_test::TempDir dir("loader-dup");
  std::filesystem::copy_file(kGood + "/libnebula_test_counting_processor.so", dir / "libcopy.so");
  PluginRegistry r;
  r.load_directories({kGood, dir.path().string()});
  ASSERT_EQ(r.errors().size(), 1u);
  EXPECT_NE(r.errors()[0].message.find("already provided by " + kGood), std::string::npos) << r.errors()[0].message;
}

TEST(PluginRegistry, RefusesAPluginWritableByOtherUsers) {
  nebula_test::TempDir dir("loader-perm");
  auto file = dir / "libworld.so";
  std::filesystem::copy_file(kGood + "/libnebula_test_counting_processor.so", file);
  ::chmod(file.c_str(), 0666);
  PluginRegistry r;
  EXPECT_FALSE(r.load_file(file.string()));
  EXPECT_NE(only_error(r).find("writable by other users"), std::string::npos);
}

TEST(PluginRegistry, MissingDirectoryIsReportedNotFatal) {
  PluginRegistry r;
  r.load_directories({"/nonexistent/nebula/plugins", kGood});
  EXPECT_NE(r.find("nebula.test.counting"), nullptr);
  ASSERT_EQ(r.errors().size(), 1u);
  EXPECT_EQ(r.errors()[0].message, "plugin directory does not exist");
}

TEST(PluginRegistry, SearchPathAppendsNebulaPluginPath) {
  ::setenv("NEBULA_PLUGIN_PATH", "/a/b:/c", 1);
  auto dirs = nebula::host::plugin_search_path({"/first"});
  ::unsetenv("NEBULA_PLUGIN_PATH");
  ASSERT_EQ(dirs.size(), 3u);
  EXPECT_EQ(dirs[0], "/first");
  EXPECT_EQ(dirs[1], "/a/b");
  EXPECT_EQ(dirs[2], "/c");
}
