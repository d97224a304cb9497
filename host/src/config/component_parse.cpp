#include "config/component_parse.hpp"

#include "config/id_syntax.hpp"
#include "config/yaml_value.hpp"

namespace nebula::host {
namespace {

const std::vector<std::string> kComponentKeys = {"id", "plugin", "config", "inputs", "topics"};

// "component 'blocks'", or "component #2" (1-based) while the id is unusable.
// Taken from the raw text because the label is needed before values are read.
std::string component_label(const YAML::Node& node, size_t number) {
  for (const auto& pair : node)
    if (pair.first.IsScalar() && pair.first.Scalar() == "id" && pair.second.IsScalar() &&
        is_valid_component_id(pair.second.Scalar()))
      return "component '" + pair.second.Scalar() + "'";
  return "component #" + std::to_string(number);
}

// A sequence of non-empty strings, e.g. inputs or topics. `marks`, when
// given, receives one mark per value kept.
void read_text_list(const MappingEntry& entry, const std::string& what, const std::string& item_name,
                    std::vector<std::string>& values, std::vector<SourceMark>* marks, ParseContext& ctx) {
  if (entry.value.IsNull()) return;
  if (!entry.value.IsSequence()) {
    ctx.report(value_mark(entry), what + " must be a sequence of " + item_name + "s, got " +
                                      describe_value(entry.value));
    return;
  }
  for (const auto& item : entry.value) {
    auto text = read_text(item, item.Mark(), "each " + item_name + " in " + what, ctx);
    if (!text) continue;
    values.push_back(*text);
    if (marks) marks->push_back(ctx.mark(item.Mark()));
  }
}

void read_id(const MappingEntry& entry, const std::string& label, ComponentSpec& spec, ParseContext& ctx) {
  auto id = read_text(entry, "id of " + label, ctx);
  if (!id) return;
  spec.id = *id;
  if (!is_valid_component_id(*id))
    ctx.report(value_mark(entry), "invalid component id '" + *id +
                                      "': use letters, digits, '_' and '-', starting with a letter or '_'");
}

void read_plugin(const MappingEntry& entry, const std::string& label, ComponentSpec& spec, ParseContext& ctx) {
  auto plugin = read_text(entry, "plugin of " + label, ctx);
  if (!plugin) return;
  spec.plugin = *plugin;
  if (!is_valid_plugin_id(*plugin))
    ctx.report(value_mark(entry), "invalid plugin id '" + *plugin +
                                      "': expected a reverse-DNS id such as 'nebula.processor.pattern' "
                                      "(lowercase segments separated by dots, at least two)");
}

void read_config(const MappingEntry& entry, const std::string& label, ComponentSpec& spec, ParseContext& ctx) {
  spec.config_node.reset(entry.value);  // reset, not =: yaml-cpp's = writes through to the document
  if (entry.value.IsNull()) return;  // "config:" alone means no settings
  if (!entry.value.IsMap()) {
    ctx.report(value_mark(entry), "config of " + label + " must be a mapping, got " + describe_value(entry.value));
    return;
  }
  spec.config = yaml_to_json(entry.value, ctx);
}

void parse_component(const YAML::Node& node, size_t number, PipelineConfig& config,
                     std::vector<SourceMark>& id_marks, ParseContext& ctx) {
  if (!node.IsMap()) {
    ctx.report(node.Mark(), "each component must be a mapping with 'id' and 'plugin', got " + describe_value(node));
    return;
  }
  ComponentSpec spec;
  spec.mark = ctx.mark(node.Mark());
  spec.plugin_mark = spec.mark;
  SourceMark id_mark = spec.mark;
  bool has_id = false;
  bool has_plugin = false;
  const std::string label = component_label(node, number);
  for (const auto& entry : read_entries(node, "in " + label, kComponentKeys, ctx)) {
    if (entry.key == "id") {
      has_id = true;
      id_mark = ctx.mark(value_mark(entry));
      read_id(entry, label, spec, ctx);
    } else if (entry.key == "plugin") {
      has_plugin = true;
      spec.plugin_mark = ctx.mark(value_mark(entry));
      read_plugin(entry, label, spec, ctx);
    } else if (entry.key == "config") {
      read_config(entry, label, spec, ctx);
    } else if (entry.key == "inputs") {
      read_text_list(entry, "inputs of " + label, "component id", spec.inputs, &spec.input_marks, ctx);
    } else if (entry.key == "topics") {
      read_text_list(entry, "topics of " + label, "topic", spec.topics, nullptr, ctx);
    }
  }
  if (!has_id) ctx.report(spec.mark, label + " has no 'id'");
  if (!has_plugin) ctx.report(spec.mark, label + " has no 'plugin'");
  config.components.push_back(std::move(spec));
  id_marks.push_back(std::move(id_mark));
}

}  // namespace

void parse_components(const MappingEntry& entry, PipelineConfig& config, std::vector<SourceMark>& id_marks,
                      ParseContext& ctx) {
  if (entry.value.IsSequence() && entry.value.size() == 0) {
    ctx.report(value_mark(entry), "components must not be empty: a pipeline needs at least one component");
    return;
  }
  if (!entry.value.IsSequence()) {
    ctx.report(value_mark(entry), "components must be a sequence of components, got " + describe_value(entry.value));
    return;
  }
  size_t number = 0;
  for (const auto& node : entry.value) parse_component(node, ++number, config, id_marks, ctx);
}

}  // namespace nebula::host
