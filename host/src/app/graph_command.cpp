// `nebula-pool graph -c pipeline.yaml`: the pipeline as Graphviz DOT, one
// node per component (its kind as the shape), one edge per input.
//   nebula-pool graph -c config/pipeline.yaml | dot -Tsvg > pipeline.svg
#include <CLI/CLI.hpp>

#include <iostream>
#include <map>

#include "app/commands.hpp"
#include "app/pipeline_loader.hpp"

namespace nebula::host {
namespace {

std::string quoted(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

struct KindStyle {
  const char* shape;
  const char* style;
  const char* rank;  // transports first, sinks last
};

KindStyle style_of(const LoadedPlugin* plugin) {
  if (!plugin) return {"box", "dashed", ""};
  switch (plugin->descriptor->kind) {
    case NEBULA_KIND_TRANSPORT: return {"cds", "solid", "source"};
    case NEBULA_KIND_PROCESSOR: return {"box", "rounded", ""};
    case NEBULA_KIND_AGENT: return {"hexagon", "solid", ""};
    default: return {"cylinder", "solid", "sink"};
  }
}

// "id\nplugin": two lines in the node.
std::string label(const ComponentSpec& c) {
  const std::string id = quoted(c.id), plugin = quoted(c.plugin);
  return id.substr(0, id.size() - 1) + "\\n" + plugin.substr(1);
}

}  // namespace

static int graph_command(const std::string& config_path) {
  LoadedPipeline pipeline;
  load_pipeline(config_path, pipeline);
  if (report_problems(pipeline, false)) {
    std::cerr << config_path << ": invalid pipeline; no graph\n";
    return 2;
  }
  std::map<std::string, std::vector<std::string>> ranks;
  std::cout << "// " << config_path << ": transports (cds), processors (rounded boxes), agents (hexagons), sinks "
            << "(cylinders); an edge runs from an input to the component reading it.\n"
            << "digraph " << quoted("pipeline") << " {\n  rankdir=LR;\n  node [fontname=\"Helvetica\"];\n";
  for (const auto& c : pipeline.config.components) {
    const LoadedPlugin* plugin = pipeline.registry.find(c.plugin);
    const KindStyle style = style_of(plugin);
    const std::string kind = plugin ? kind_name(plugin->descriptor->kind) : "unknown";
    std::cout << "  " << quoted(c.id) << " [shape=" << style.shape << ", style=" << style.style
              << ", label=" << label(c) << ", tooltip=" << quoted(kind) << "];\n";
    if (*style.rank) ranks[style.rank].push_back(c.id);
  }
  for (const auto& c : pipeline.config.components)
    for (const auto& input : c.inputs) {
      std::cout << "  " << quoted(input) << " -> " << quoted(c.id);
      if (!c.topics.empty()) {
        std::string topics;
        for (const auto& t : c.topics) topics += (topics.empty() ? "" : ", ") + t;
        std::cout << " [label=" << quoted(topics) << "]";
      }
      std::cout << ";\n";
    }
  for (const auto& [rank, ids] : ranks) {
    std::cout << "  { rank=" << rank << ";";
    for (const auto& id : ids) std::cout << " " << quoted(id) << ";";
    std::cout << " }\n";
  }
  std::cout << "}\n";
  return 0;
}

}  // namespace nebula::host

namespace nebula::host {

OperatorTool add_graph_command(CLI::App& app) {
  auto config = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand("graph", "Print the pipeline as Graphviz DOT (| dot -Tsvg > pipeline.svg)");
  cmd->add_option("-c,--config", *config, "Pipeline YAML file")->required()->check(CLI::ExistingFile);
  return {cmd, [config] { return graph_command(*config); }};
}

}  // namespace nebula::host
