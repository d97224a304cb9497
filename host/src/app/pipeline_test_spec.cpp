#include "app/pipeline_test_spec.hpp"

#include <fstream>
#include <limits>
#include <sstream>

#include "config/config_issue.hpp"
#include "config/mapping_reader.hpp"
#include "config/yaml_value.hpp"

namespace nebula::host {
namespace {

const std::vector<std::string> kTestKeys = {"name", "feed", "expect"};
const std::vector<std::string> kFeedKeys = {"to", "records", "scenario"};
const std::vector<std::string> kScenarioKeys = {
    "seed",      "testnet_nodes",     "mainnet_nodes", "basic_nodes", "full_nodes", "simple_nodes",
    "sample_interval_s", "duration_s", "start_time", "random_incidents", "restarts_per_node_hour", "incidents"};
const std::vector<std::string> kIncidentKeys = {"kind", "chain", "nodes", "start_s", "duration_s", "magnitude"};
const std::vector<std::string> kConditionKeys = {"name", "topic", "source", "path", "op", "value", "count"};

std::optional<double> read_number(const MappingEntry& e, const std::string& label, double min, ParseContext& ctx) {
  const std::string expectation = label + " must be a number >= " + nlohmann::json(min).dump();
  if (e.value.IsMap() || e.value.IsSequence()) {
    ctx.report(value_mark(e), expectation + ", got " + describe_value(e.value));
    return std::nullopt;
  }
  auto scalar = read_scalar(e.value, ctx);
  if (!scalar) return std::nullopt;
  if (!scalar->typed.is_number() || scalar->typed.get<double>() < min) {
    ctx.report(value_mark(e), expectation + ", got " + describe_value(e.value, &scalar->typed));
    return std::nullopt;
  }
  return scalar->typed.get<double>();
}

// A sequence of plain strings, e.g. nodes: [a, b].
std::vector<std::string> read_strings(const MappingEntry& e, const std::string& label, ParseContext& ctx) {
  std::vector<std::string> out;
  if (!e.value.IsSequence()) {
    ctx.report(value_mark(e), label + " must be a sequence of strings, got " + describe_value(e.value));
    return out;
  }
  for (const auto& item : e.value)
    if (auto text = read_text(item, item.Mark(), label + " entries", ctx)) out.push_back(*text);
  return out;
}

// Iterates a sequence of mappings, reporting anything else.
template <class Fn>
void each_mapping(const MappingEntry& e, const std::string& label, ParseContext& ctx, Fn fn) {
  if (!e.value.IsSequence()) {
    ctx.report(value_mark(e), label + " must be a sequence, got " + describe_value(e.value));
    return;
  }
  size_t i = 0;
  for (const auto& item : e.value) {
    const std::string where = label + "[" + std::to_string(i++) + "]";
    if (!item.IsMap()) {
      ctx.report(item.Mark(), where + " must be a mapping, got " + describe_value(item));
      continue;
    }
    fn(item, where);
  }
}

ScenarioIncident parse_incident(const YAML::Node& node, const std::string& where, ParseContext& ctx) {
  ScenarioIncident out;
  bool has_kind = false, has_duration = false;
  for (const auto& e : read_entries(node, "in " + where, kIncidentKeys, ctx)) {
    if (e.key == "kind") {
      if (auto v = read_text(e, where + ".kind", ctx)) out.kind = *v, has_kind = true;
    } else if (e.key == "chain") {
      if (auto v = read_text(e, where + ".chain", ctx)) out.chain = *v;
    } else if (e.key == "nodes") {
      out.nodes = read_strings(e, where + ".nodes", ctx);
    } else if (e.key == "start_s") {
      if (auto v = read_number(e, where + ".start_s", 0, ctx)) out.start_s = *v;
    } else if (e.key == "duration_s") {
      if (auto v = read_number(e, where + ".duration_s", 0, ctx)) out.duration_s = *v, has_duration = true;
    } else if (e.key == "magnitude") {
      if (auto v = read_number(e, where + ".magnitude", 0, ctx)) out.magnitude = *v;
    }
  }
  if (!has_kind) ctx.report(node.Mark(), where + " needs a kind");
  if (!has_duration) ctx.report(node.Mark(), where + " needs duration_s");
  return out;
}

Scenario parse_scenario(const MappingEntry& entry, const std::string& where, ParseContext& ctx) {
  Scenario s;
  s.mark = ctx.mark(value_mark(entry));
  if (!expect_mapping(entry, where, ctx)) return s;
  auto count = [&](const MappingEntry& e, size_t& field) {
    if (auto v = read_integer(e, where + "." + e.key, 0, 100000, ctx)) field = size_t(*v);
  };
  for (const auto& e : read_entries(entry.value, "in " + where, kScenarioKeys, ctx)) {
    if (e.key == "seed") {
      if (auto v = read_integer(e, where + ".seed", 0, std::numeric_limits<int64_t>::max(), ctx)) s.seed = uint64_t(*v);
    } else if (e.key == "testnet_nodes") count(e, s.testnet_nodes);
    else if (e.key == "mainnet_nodes") count(e, s.mainnet_nodes);
    else if (e.key == "basic_nodes") count(e, s.basic_nodes);
    else if (e.key == "full_nodes") count(e, s.full_nodes);
    else if (e.key == "simple_nodes") count(e, s.simple_nodes);
    else if (e.key == "sample_interval_s") {
      if (auto v = read_number(e, where + ".sample_interval_s", 0.001, ctx)) s.sample_interval_s = *v;
    } else if (e.key == "duration_s") {
      if (auto v = read_number(e, where + ".duration_s", 0, ctx)) s.duration_s = *v;
    } else if (e.key == "start_time") {
      if (auto v = read_number(e, where + ".start_time", 0, ctx)) s.start_time = *v;
    } else if (e.key == "random_incidents") {
      if (auto v = read_bool(e, where + ".random_incidents", ctx)) s.random_incidents = *v;
    } else if (e.key == "restarts_per_node_hour") {
      if (auto v = read_number(e, where + ".restarts_per_node_hour", 0, ctx)) s.restarts_per_node_hour = *v;
    } else if (e.key == "incidents") {
      each_mapping(e, where + ".incidents", ctx, [&](const YAML::Node& node, const std::string& label) {
        s.incidents.push_back(parse_incident(node, label, ctx));
      });
    }
  }
  if (s.duration_s <= 0) ctx.report(s.mark, where + " needs duration_s > 0 (simulated seconds to feed)");
  if (s.testnet_nodes + s.mainnet_nodes + s.basic_nodes + s.full_nodes + s.simple_nodes == 0)
    ctx.report(s.mark, where + " needs nodes: testnet_nodes, mainnet_nodes, basic_nodes, full_nodes or simple_nodes");
  return s;
}

// An inline record: a mapping (taken as JSON) or a string holding JSON text.
std::optional<std::string> read_record(const YAML::Node& node, const std::string& where, ParseContext& ctx) {
  if (node.IsMap()) return yaml_to_json(node, ctx).dump();
  if (node.IsScalar()) {
    auto doc = nlohmann::json::parse(node.Scalar(), nullptr, false);
    if (doc.is_object()) return doc.dump();
  }
  ctx.report(node.Mark(), where + " must be a record: a mapping, or a string holding a JSON object");
  return std::nullopt;
}

Feed parse_feed(const YAML::Node& node, const std::string& where, ParseContext& ctx) {
  Feed f;
  f.mark = ctx.mark(node.Mark());
  for (const auto& e : read_entries(node, "in " + where, kFeedKeys, ctx)) {
    if (e.key == "to") {
      f.to_mark = ctx.mark(value_mark(e));
      if (auto v = read_text(e, where + ".to", ctx)) f.to = *v;
    } else if (e.key == "records") {
      if (!e.value.IsSequence()) {
        ctx.report(value_mark(e), where + ".records must be a sequence of records, got " + describe_value(e.value));
        continue;
      }
      size_t i = 0;
      for (const auto& item : e.value)
        if (auto r = read_record(item, where + ".records[" + std::to_string(i++) + "]", ctx)) {
          f.records.push_back(*r);
          f.record_marks.push_back(ctx.mark(item.Mark()));
        }
    } else if (e.key == "scenario") {
      f.scenario = parse_scenario(e, where + ".scenario", ctx);
    }
  }
  if (f.to.empty()) ctx.report(node.Mark(), where + " needs 'to': the component the records go to");
  if (f.records.empty() == !f.scenario)
    ctx.report(node.Mark(), where + " needs exactly one of 'records' (inline) or 'scenario' (simulated fleet)");
  return f;
}

std::optional<CountRule> read_count(const MappingEntry& e, const std::string& label, ParseContext& ctx) {
  const std::string expectation = label + " must be a number (exactly that many) or a comparison such as \">= 1\"";
  if (!e.value.IsScalar()) {
    ctx.report(value_mark(e), expectation + ", got " + describe_value(e.value));
    return std::nullopt;
  }
  auto scalar = read_scalar(e.value, ctx);
  if (!scalar) return std::nullopt;
  if (scalar->typed.is_number_integer() && scalar->typed.get<int64_t>() >= 0)
    return CountRule{CompareOp::Equal, scalar->typed.get<size_t>()};
  std::istringstream in(scalar->text);
  std::string op_text;
  long long n = -1;
  in >> op_text >> n;
  auto op = parse_compare_op(op_text);
  std::string rest;
  if (!op || *op == CompareOp::Exists || *op == CompareOp::Contains || n < 0 || (in >> rest)) {
    ctx.report(value_mark(e), expectation + ", got " + describe_value(e.value, &scalar->typed));
    return std::nullopt;
  }
  return CountRule{*op, size_t(n)};
}

Condition parse_condition(const YAML::Node& node, const std::string& where, ParseContext& ctx) {
  Condition c;
  c.mark = ctx.mark(node.Mark());
  bool has_value = false, has_op = false, op_known = true;
  for (const auto& e : read_entries(node, "in " + where, kConditionKeys, ctx)) {
    if (e.key == "name") {
      if (auto v = read_text(e, where + ".name", ctx)) c.name = *v;
    } else if (e.key == "topic") {
      if (auto v = read_text(e, where + ".topic", ctx)) c.topic = *v;
    } else if (e.key == "source") {
      if (auto v = read_text(e, where + ".source", ctx)) c.source = *v;
    } else if (e.key == "path") {
      auto v = read_text(e, where + ".path", ctx);
      if (!v) continue;
      std::string why;
      if (auto path = JsonPath::parse(*v, why)) c.path = *path;
      else ctx.report(value_mark(e), where + ".path '" + *v + "': " + why);
    } else if (e.key == "op") {
      auto v = read_text(e, where + ".op", ctx);
      if (!v) continue;
      has_op = true;
      const auto op = parse_compare_op(*v);
      op_known = op.has_value();
      if (op) c.op = *op;
      else ctx.report(value_mark(e), where + ".op must be one of " + compare_op_choices() + ", got '" + *v + "'");
    } else if (e.key == "value") {
      c.value = yaml_to_json(e.value, ctx);
      has_value = true;
    } else if (e.key == "count") {
      if (auto rule = read_count(e, where + ".count", ctx)) c.count = *rule;
    }
  }
  if (c.topic.empty()) ctx.report(node.Mark(), where + " needs a topic: the insights it is about");
  if (!has_op && has_value) c.op = CompareOp::Equal;  // `value` alone means equality
  if (!op_known) return c;                            // said already; the value cannot be judged
  if (c.op != CompareOp::Exists && !has_value)
    ctx.report(node.Mark(), where + ": op " + to_string(c.op) + " needs a value");
  if (c.op == CompareOp::Exists && has_value)
    ctx.report(node.Mark(), where + ": op exists takes no value");
  return c;
}

PipelineTest parse_test(const YAML::Node& node, const std::string& where, ParseContext& ctx) {
  PipelineTest t;
  t.mark = ctx.mark(node.Mark());
  for (const auto& e : read_entries(node, "in " + where, kTestKeys, ctx)) {
    if (e.key == "name") {
      if (auto v = read_text(e, where + ".name", ctx)) t.name = *v;
    } else if (e.key == "feed") {
      each_mapping(e, where + ".feed", ctx, [&](const YAML::Node& item, const std::string& label) {
        t.feeds.push_back(parse_feed(item, label, ctx));
      });
    } else if (e.key == "expect") {
      each_mapping(e, where + ".expect", ctx, [&](const YAML::Node& item, const std::string& label) {
        t.expect.push_back(parse_condition(item, label, ctx));
      });
    }
  }
  if (t.name.empty()) ctx.report(node.Mark(), where + " needs a name");
  if (t.feeds.empty()) ctx.report(node.Mark(), where + " needs 'feed': what goes in");
  if (t.expect.empty()) ctx.report(node.Mark(), where + " needs 'expect': conditions on the insights");
  return t;
}

}  // namespace

std::vector<PipelineTest> parse_pipeline_tests(const std::string& path, std::vector<ConfigIssue>& issues) {
  std::vector<PipelineTest> tests;
  ParseContext ctx(path, process_env(), issues);
  std::ifstream in(path);
  if (!in) {
    ctx.report(SourceMark{path, 0, 0}, "cannot read the file");
    return tests;
  }
  std::stringstream text;
  text << in.rdbuf();
  YAML::Node root;
  try {
    root = YAML::Load(text.str());
  } catch (const YAML::Exception& e) {
    ctx.report(e.mark, "invalid YAML: " + e.msg);
    return tests;
  }
  if (!root.IsMap()) {
    ctx.report(root.Mark(), "a tests file is a mapping with a 'tests' sequence, got " + describe_value(root));
    return tests;
  }
  for (const auto& e : read_entries(root, "at top level", {"tests"}, ctx))
    each_mapping(e, "tests", ctx, [&](const YAML::Node& node, const std::string& where) {
      tests.push_back(parse_test(node, where, ctx));
    });
  if (tests.empty() && issues.empty()) ctx.report(root.Mark(), "no tests: add a 'tests' sequence");
  std::map<std::string, SourceMark> names;
  for (const auto& t : tests)
    if (!t.name.empty() && !names.emplace(t.name, t.mark).second)
      ctx.report(t.mark, "a second test named '" + t.name + "' (the first is at line " +
                             std::to_string(names[t.name].line) + ")");
  return tests;
}

void check_tests_against(const std::vector<PipelineTest>& tests, const LoadedPipeline& pipeline,
                         std::vector<ConfigIssue>& issues) {
  std::string takes;  // the components records can go to, for the message
  for (const auto& c : pipeline.config.components)
    if (const LoadedPlugin* p = pipeline.registry.find(c.plugin);
        p && (p->descriptor->kind == NEBULA_KIND_TRANSPORT || p->descriptor->kind == NEBULA_KIND_PROCESSOR))
      takes += (takes.empty() ? "" : ", ") + c.id;
  for (const auto& t : tests)
    for (const auto& f : t.feeds) {
      if (f.to.empty()) continue;
      const ComponentSpec* spec = pipeline.config.find(f.to);
      const LoadedPlugin* plugin = spec ? pipeline.registry.find(spec->plugin) : nullptr;
      const bool takes_records = plugin && (plugin->descriptor->kind == NEBULA_KIND_TRANSPORT ||
                                            plugin->descriptor->kind == NEBULA_KIND_PROCESSOR);
      if (!spec)
        issues.push_back({f.to_mark, "no component '" + f.to + "' in " + pipeline.config.file + " (records go to: " +
                                         takes + ")"});
      else if (!takes_records)
        issues.push_back({f.to_mark, "'" + f.to + "' is not a transport or processor, so it takes no records "
                                     "(records go to: " + takes + ")"});
    }
}

}  // namespace nebula::host
