// Phase 1: a pipeline file → PipelineConfig plus every problem found.
#include <cerrno>
#include <cstring>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>

#include <yaml-cpp/eventhandler.h>

#include "config/component_parse.hpp"
#include "config/graph_check.hpp"
#include "config/issue_order.hpp"
#include "config/settings_parse.hpp"
#include "config/yaml_value.hpp"

namespace nebula::host {
namespace {

const std::vector<std::string> kTopLevelKeys = {"version", "plugins", "state_dir", "log_level", "admin",
                                                "pool",    "training", "sinks", "shutdown", "wal",       "limits", "ingest", "components"};

// yaml-cpp fails on an unquoted ${VAR} inside [ ] or { } ('{' opens a flow
// mapping there) with a message that does not say so; add the way out.
std::string flow_reference_hint(const std::string& text, const YAML::Exception& error) {
  if (error.msg.find("flow") == std::string::npos || error.mark.line < 0) return "";
  std::istringstream lines(text);
  std::string line;
  for (int i = 0; i <= error.mark.line; ++i)
    if (!std::getline(lines, line)) return "";
  if (line.find("${") == std::string::npos) return "";
  return " (an unquoted ${...} cannot appear inside [ ] or { }: use block style, or quote it and get a string)";
}

// Records where the root node of one document is.
class RootMark : public YAML::EventHandler {
 public:
  std::optional<YAML::Mark> mark;

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& at, YAML::anchor_t) override { node(at); }
  void OnAlias(const YAML::Mark& at, YAML::anchor_t) override { node(at); }
  void OnScalar(const YAML::Mark& at, const std::string&, YAML::anchor_t, const std::string&) override { node(at); }
  void OnSequenceStart(const YAML::Mark& at, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
    node(at);
  }
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark& at, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
    node(at);
  }
  void OnMapEnd() override {}

 private:
  void node(const YAML::Mark& at) {
    if (!mark) mark = at;
  }
};

// Where a second document starts, if the text has one. Not YAML::LoadAll:
// yaml-cpp 0.7 loops forever, allocating, on inputs such as "," (upstream
// jbeder/yaml-cpp#1040; found by fuzz/targets/pipeline_yaml.cpp). Throws
// YAML::Exception like LoadAll.
std::optional<YAML::Mark> second_document(const std::string& text) {
  std::istringstream in(text);
  YAML::Parser parser(in);
  RootMark first, second;
  if (!parser.HandleNextDocument(first) || !parser.HandleNextDocument(second)) return std::nullopt;
  return second.mark ? second.mark : YAML::Mark();
}

// The single document of the file, or nothing after reporting why not.
std::optional<YAML::Node> load_document(const std::string& text, ParseContext& ctx) {
  YAML::Node root;
  std::optional<YAML::Mark> second;
  try {
    root = YAML::Load(text);  // the first document only
    second = second_document(text);
  } catch (const YAML::Exception& e) {
    ctx.report(e.mark, "invalid YAML: " + e.msg + flow_reference_hint(text, e));
    return std::nullopt;
  }
  if (root.IsNull()) {
    ctx.report(SourceMark{ctx.file(), 1, 1}, "the pipeline file is empty; it needs at least a 'components' list");
    return std::nullopt;
  }
  if (second) ctx.report(*second, "a pipeline file holds one YAML document; this second one is not allowed");
  if (!root.IsMap()) {
    ctx.report(root.Mark(), "the pipeline file must be a mapping of settings with a 'components' list, got " +
                                describe_value(root));
    return std::nullopt;
  }
  return root;
}

void parse_document(const YAML::Node& root, const std::filesystem::path& base_dir, PipelineConfig& config,
                    ParseContext& ctx) {
  using Handler = std::function<void(const MappingEntry&)>;
  std::vector<SourceMark> id_marks;
  bool has_components = false;
  const std::map<std::string, Handler> handlers = {
      {"version", [&](const MappingEntry& e) { parse_version(e, ctx); }},
      {"plugins", [&](const MappingEntry& e) { parse_plugins(e, base_dir, config, ctx); }},
      {"state_dir", [&](const MappingEntry& e) { parse_state_dir(e, base_dir, config, ctx); }},
      {"log_level", [&](const MappingEntry& e) { parse_log_level(e, config, ctx); }},
      {"admin", [&](const MappingEntry& e) { parse_admin(e, base_dir, config, ctx); }},
      {"pool", [&](const MappingEntry& e) { parse_pool(e, config, ctx); }},
      {"training", [&](const MappingEntry& e) { parse_training(e, config, ctx); }},
      {"sinks", [&](const MappingEntry& e) { parse_sinks(e, config, ctx); }},
      {"shutdown", [&](const MappingEntry& e) { parse_shutdown(e, config, ctx); }},
      {"wal", [&](const MappingEntry& e) { parse_wal(e, config, ctx); }},
      {"limits", [&](const MappingEntry& e) { parse_limits(e, config, ctx); }},
      {"ingest", [&](const MappingEntry& e) { parse_ingest(e, config, ctx); }},
      {"components",
       [&](const MappingEntry& e) {
         has_components = true;
         parse_components(e, config, id_marks, ctx);
       }},
  };
  for (const auto& entry : read_entries(root, "at top level", kTopLevelKeys, ctx)) handlers.at(entry.key)(entry);
  if (!has_components) ctx.report(root.Mark(), "missing required key 'components' (the list of components)");
  check_graph(config.components, id_marks, ctx.issues());
}

}  // namespace

ParseResult parse_pipeline_text(const std::string& text, const std::string& file_name, const std::string& base_dir,
                                const EnvLookup& env) {
  ParseResult result;
  result.config.file = file_name;
  ParseContext ctx(file_name, env, result.issues);
  try {
    const std::filesystem::path base = std::filesystem::absolute(base_dir.empty() ? "." : base_dir);
    result.config.state_dir = resolve_path(".state", base);  // default: beside the pipeline file
    if (auto root = load_document(text, ctx)) parse_document(*root, base, result.config, ctx);
  } catch (const std::exception& e) {
    // Promised never to throw for bad input; anything left is reported, not raised.
    ctx.report(SourceMark{file_name, 0, 0}, std::string("internal error while reading the pipeline: ") + e.what());
  }
  sort_by_position(result.issues.begin(), result.issues.end());
  return result;
}

ParseResult parse_pipeline(const std::string& path, const EnvLookup& env) {
  auto unreadable = [&](const std::string& why) {
    ParseResult result;
    result.config.file = path;
    result.issues.push_back({SourceMark{path, 0, 0}, why});
    return result;
  };
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) return unreadable("is a directory, not a pipeline file");
  std::ifstream in(path, std::ios::binary);
  if (!in) return unreadable(std::string("cannot open the pipeline file: ") + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  const std::filesystem::path absolute = std::filesystem::absolute(path, ec);
  return parse_pipeline_text(text.str(), path, (ec ? std::filesystem::path(path) : absolute).parent_path().string(),
                             env);
}

}  // namespace nebula::host
