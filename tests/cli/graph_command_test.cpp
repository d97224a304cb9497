// `nebula-pool graph` (#18): the shipped pipeline as DOT that Graphviz
// itself accepts, with every component and every input edge in it.
#include <gtest/gtest.h>

#include <regex>
#include <set>

#include <yaml-cpp/yaml.h>

#include "nebula_test/child_process.hpp"
#include "nebula_test/temp_dir.hpp"

namespace {

TEST(GraphCommand, ShippedPipelineIsDotGraphvizAcceptsWithEveryComponentAndInput) {
  nebula_test::TempDir dir("cli-graph");
  const std::string dot_file = (dir / "pipeline.dot").string();
  const auto [code, out] = nebula_test::run_and_capture(
      "NEBULA_PLUGIN_DIR=" NEBULA_PLUGIN_DIR " " NEBULA_POOL_BIN " graph -c " NEBULA_SOURCE_DIR
      "/config/pipeline.yaml > " + dot_file);
  ASSERT_EQ(code, 0) << out;
  const std::string dot = nebula_test::read_file(dot_file);

  // Graphviz (scripts/install-deps) parses and lays it out.
  const auto [dot_code, canon] = nebula_test::run_and_capture("dot -Tcanon " + dot_file);
  ASSERT_EQ(dot_code, 0) << "dot refused the graph:\n" << canon << "\n" << dot;

  // Kinds as shapes.
  for (const std::string node : {R"("http_in" [shape=cds)", R"("patterns" [shape=box, style=rounded)",
                                 R"("analyst" [shape=hexagon)", R"("history" [shape=cylinder)"})
    EXPECT_NE(dot.find(node), std::string::npos) << node << "\n" << dot;
  // One node per component and one edge per input, as the file has them.
  const YAML::Node pipeline = YAML::LoadFile(NEBULA_SOURCE_DIR "/config/pipeline.yaml");
  size_t components = 0, inputs = 0;
  for (const auto& c : pipeline["components"]) {
    const std::string id = c["id"].as<std::string>();
    ++components;
    EXPECT_NE(dot.find("\n  \"" + id + "\" [shape="), std::string::npos) << id << "\n" << dot;
    for (const auto& input : c["inputs"]) {
      ++inputs;
      const std::string edge = "\n  \"" + input.as<std::string>() + "\" -> \"" + id + "\"";
      EXPECT_NE(dot.find(edge), std::string::npos) << edge << "\n" << dot;
    }
  }
  const std::regex node_line(R"(\n  "[a-z_]+" \[shape=)"), edge_line(R"(\n  "[a-z_]+" -> "[a-z_]+")");
  const auto count = [&](const std::regex& re) {
    return size_t(std::distance(std::sregex_iterator(dot.begin(), dot.end(), re), std::sregex_iterator()));
  };
  EXPECT_GE(components, 10u);
  EXPECT_EQ(count(node_line), components) << dot;
  EXPECT_EQ(count(edge_line), inputs) << dot;
  // Laid out, transports come first: same rank as each other.
  EXPECT_NE(dot.find(R"({ rank=source; "http_in"; "tcp_in"; "file_in"; })"), std::string::npos) << dot;
}

TEST(GraphCommand, InvalidPipelineGivesNoGraph) {
  nebula_test::TempDir dir("cli-graph");
  const auto yaml = dir.write("bad.yaml", "components:\n  - id: a\n    plugin: nebula.processor.nope\n    inputs: [b]\n");
  const auto [code, out] = nebula_test::run_and_capture(NEBULA_POOL_BIN " graph -c " + yaml.string());
  EXPECT_EQ(code, 2) << out;
  EXPECT_NE(out.find(yaml.string() + ":"), std::string::npos) << out;
  EXPECT_EQ(out.find("digraph"), std::string::npos) << out;
}

}  // namespace
