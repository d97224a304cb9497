// A processor's JSON state file: missing, loaded, damaged (kept as .corrupt), saved.
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include <gtest/gtest.h>

#include <nebula_processors/json_state_file.hpp>

#include "nebula_test/temp_dir.hpp"

namespace fs = std::filesystem;
using nebula::processors::LoadReport;
using nebula::processors::load_json_state;
using nebula::processors::save_json_state;

TEST(JsonStateFile, MissingFileIsAFreshStart) {
  nebula_test::TempDir dir;
  bool applied = false;
  const auto r = load_json_state(dir.path() / "state.json", [&](const nlohmann::json&) { applied = true; });
  EXPECT_EQ(r.status, LoadReport::kMissing);
  EXPECT_FALSE(applied);
}

TEST(JsonStateFile, SavedStateLoadsBack) {
  nebula_test::TempDir dir;
  const fs::path file = dir.path() / "state.json";
  save_json_state(file, {{"version", 1}, {"nodes", {1, 2}}}, 1);
  nlohmann::json loaded;
  EXPECT_EQ(load_json_state(file, [&](const nlohmann::json& doc) { loaded = doc; }).status, LoadReport::kLoaded);
  EXPECT_EQ(loaded["nodes"], nlohmann::json({1, 2}));
  EXPECT_FALSE(fs::exists(file.string() + ".tmp"));
}

TEST(JsonStateFile, DamageIsReportedAndKeptAside) {
  nebula_test::TempDir dir;
  const fs::path file = dir.path() / "state.json";
  for (const char* content : {"{not json", R"({"version":99})"}) {
    std::ofstream(file) << content;
    const auto r = load_json_state(file, [](const nlohmann::json& doc) {
      if (doc.value("version", 0) != 1) throw std::runtime_error("unsupported version");
    });
    EXPECT_EQ(r.status, LoadReport::kDamaged) << content;
    EXPECT_FALSE(r.message.empty());
    EXPECT_FALSE(fs::exists(file));
    EXPECT_TRUE(fs::exists(file.string() + ".corrupt"));
  }
}
