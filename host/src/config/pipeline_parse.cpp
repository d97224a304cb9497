// Phase 1: a pipeline file → PipelineConfig plus every problem found.
#include <cerrno>
#include <cstring>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>

#include "config/component_parse.hpp"
#include "config/graph_check.hpp"
#include "config/issue_order.hpp"
#include "config/settings_parse.hpp"
#include "config/yaml_value.hpp"

namespace nebula::host {
namespace {

const std::vector<std::string> kTopLevelKeys = {"version", "plugins", "state_dir", "log_level", "admin",
                                                "pool",    "training", "shutdown", "wal",       "limits", "components"};

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

// The single document of the file, or nothing after reporting why not.
std::optional<YAML::Node> load_document(const std::string& text, ParseContext& ctx) {
  std::vector<YAML::Node> documents;
  try {
    documents = YAML::LoadAll(text);
  } catch (const YAML::Exception& e) {
    ctx.report(e.mark, "invalid YAML: " + e.msg + flow_reference_hint(text, e));
    return std::nullopt;
  }
  if (documents.empty() || documents[0].IsNull()) {
    ctx.report(SourceMark{ctx.file(), 1, 1}, "the pipeline file is empty; it needs at least a 'components' list");
    return std::nullopt;
  }
  if (documents.size() > 1)
    ctx.report(documents[1].Mark(), "a pipeline file holds one YAML document; this second one is not allowed");
  if (!documents[0].IsMap()) {
    ctx.report(documents[0].Mark(), "the pipeline file must be a mapping of settings with a 'components' list, got " +
                                        describe_value(documents[0]));
    return std::nullopt;
  }
  return documents[0];
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
      {"admin", [&](const MappingEntry& e) { parse_admin(e, config, ctx); }},
      {"pool", [&](const MappingEntry& e) { parse_pool(e, config, ctx); }},
      {"training", [&](const MappingEntry& e) { parse_training(e, config, ctx); }},
      {"shutdown", [&](const MappingEntry& e) { parse_shutdown(e, config, ctx); }},
      {"wal", [&](const MappingEntry& e) { parse_wal(e, config, ctx); }},
      {"limits", [&](const MappingEntry& e) { parse_limits(e, config, ctx); }},
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
