// A small JSON Schema (draft 2020-12) validator for plugin tests, over
// nlohmann::json. It checks insights against the topic contracts the SDK
// installs (share/nebula/schemas/topics/<topic>.schema.json):
//
//   auto schema = nebula::testing::JsonSchema::load(dir / "topics/network.schema.json");
//   auto violations = schema.validate(nlohmann::json::parse(insight));
//   EXPECT_TRUE(violations.empty()) << nebula::testing::describe(violations);
//
// With NebulaSDK::schemas linked, topic_schema("network") loads that contract.
//
// Only the keywords below are understood. A schema using any other keyword is
// refused when loaded: a keyword silently ignored would make a test pass that
// should fail.
//   type (a name or a list; "integer" = a number without a fraction),
//   properties, required, additionalProperties (bool or schema), items (one
//   schema for every item), enum, const, minimum, maximum, minItems, maxItems,
//   minLength, oneOf, anyOf, $ref ("#/$defs/<name>" only), $defs.
// Annotations ($schema, $id, $comment, title, description) are accepted and ignored.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace nebula::testing {

// One way a document breaks its schema: where (a JSON pointer, "" = the whole
// document) and why.
struct SchemaViolation {
  std::string path;
  std::string reason;
};

// One line per violation, for test failure messages.
inline std::string describe(const std::vector<SchemaViolation>& violations) {
  std::string out;
  for (const auto& v : violations) out += (v.path.empty() ? std::string("(root)") : v.path) + ": " + v.reason + "\n";
  return out;
}

class JsonSchema {
 public:
  // Throws std::invalid_argument when the schema uses a keyword or a $ref
  // this validator does not support, or is malformed.
  explicit JsonSchema(nlohmann::json schema) : root_(std::move(schema)) { check_schema(root_, "#"); }

  static JsonSchema load(const std::filesystem::path& file) {
    std::ifstream in(file);
    if (!in) throw std::invalid_argument("cannot read schema " + file.string());
    auto doc = nlohmann::json::parse(in, nullptr, false);
    if (doc.is_discarded()) throw std::invalid_argument(file.string() + " is not JSON");
    try {
      return JsonSchema(std::move(doc));
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument(file.string() + ": " + e.what());
    }
  }

  // Every violation, in document order; empty when the document is valid.
  std::vector<SchemaViolation> validate(const nlohmann::json& doc) const {
    std::vector<SchemaViolation> out;
    check(root_, doc, "", out);
    return out;
  }

  const nlohmann::json& document() const { return root_; }

 private:
  using json = nlohmann::json;

  static const std::set<std::string, std::less<>>& keywords() {
    static const std::set<std::string, std::less<>> known = {
        "$schema", "$id",      "$comment", "title",    "description", "$defs",     "$ref",
        "type",    "properties", "required", "additionalProperties", "items", "enum", "const",
        "minimum", "maximum",  "minItems", "maxItems", "minLength",   "oneOf",     "anyOf"};
    return known;
  }
  static const std::set<std::string, std::less<>>& type_names() {
    static const std::set<std::string, std::less<>> names = {"null",  "boolean", "object", "array",
                                                             "number", "integer", "string"};
    return names;
  }

  // `path` extended by one key, escaped as RFC 6901 says ("a/b" -> "/a~1b").
  static std::string child(const std::string& path, const std::string& key) {
    return path + (json::json_pointer() / key).to_string();
  }

  // ---- schema checks (at load) ----------------------------------------------

  void check_schema(const json& s, const std::string& where) const {
    if (s.is_boolean()) return;
    if (!s.is_object()) throw std::invalid_argument(where + ": a schema must be an object or a boolean");
    for (auto it = s.begin(); it != s.end(); ++it)
      if (!keywords().count(it.key()))
        throw std::invalid_argument(where + ": unsupported keyword \"" + it.key() + "\"");
    if (auto t = s.find("type"); t != s.end()) {
      const json list = t->is_array() ? *t : json::array({*t});
      for (const auto& name : list)
        if (!name.is_string() || !type_names().count(name.get<std::string>()))
          throw std::invalid_argument(where + "/type: unknown type " + name.dump());
    }
    if (auto r = s.find("required"); r != s.end()) {
      const auto is_text = [](const json& key) { return key.is_string(); };
      if (!r->is_array() || !std::all_of(r->begin(), r->end(), is_text))
        throw std::invalid_argument(where + "/required: must be an array of strings");
    }
    if (auto e = s.find("enum"); e != s.end() && !e->is_array())
      throw std::invalid_argument(where + "/enum: must be an array");
    for (const char* k : {"minimum", "maximum", "minItems", "maxItems", "minLength"})
      if (auto n = s.find(k); n != s.end() && !n->is_number())
        throw std::invalid_argument(where + "/" + k + ": must be a number");
    if (auto r = s.find("$ref"); r != s.end()) resolve(*r, where);
    for (const char* k : {"properties", "$defs"})
      if (auto m = s.find(k); m != s.end()) {
        if (!m->is_object()) throw std::invalid_argument(where + "/" + k + ": must be an object");
        for (auto it = m->begin(); it != m->end(); ++it) check_schema(*it, child(where + "/" + k, it.key()));
      }
    for (const char* k : {"additionalProperties", "items"})
      if (auto sub = s.find(k); sub != s.end()) check_schema(*sub, where + "/" + k);
    for (const char* k : {"oneOf", "anyOf"})
      if (auto list = s.find(k); list != s.end()) {
        if (!list->is_array() || list->empty())
          throw std::invalid_argument(where + "/" + k + ": must be a non-empty array");
        for (size_t i = 0; i < list->size(); ++i) check_schema((*list)[i], where + "/" + k + "/" + std::to_string(i));
      }
  }

  const json& resolve(const json& ref, const std::string& where) const {
    static constexpr std::string_view kPrefix = "#/$defs/";
    if (!ref.is_string() || ref.get<std::string>().rfind(kPrefix, 0) != 0)
      throw std::invalid_argument(where + "/$ref: only \"#/$defs/<name>\" is supported, got " + ref.dump());
    const std::string name = ref.get<std::string>().substr(kPrefix.size());
    auto defs = root_.find("$defs");
    if (defs == root_.end() || !defs->contains(name))
      throw std::invalid_argument(where + "/$ref: " + ref.get<std::string>() + " does not exist");
    return (*defs)[name];
  }

  // ---- instance checks -------------------------------------------------------

  static bool is_integer(const json& v) {
    if (v.is_number_integer()) return true;
    if (!v.is_number_float()) return false;
    const double d = v.get<double>();
    return std::isfinite(d) && d == std::floor(d);
  }

  static bool has_type(const json& v, std::string_view type) {
    if (type == "null") return v.is_null();
    if (type == "boolean") return v.is_boolean();
    if (type == "object") return v.is_object();
    if (type == "array") return v.is_array();
    if (type == "number") return v.is_number();
    if (type == "integer") return is_integer(v);
    return v.is_string();
  }

  static std::string type_of(const json& v) { return v.is_number_integer() ? "integer" : v.type_name(); }

  static size_t code_points(const std::string& text) {
    size_t n = 0;
    for (unsigned char c : text) n += (c & 0xC0) != 0x80;
    return n;
  }

  void check(const json& s, const json& v, const std::string& path, std::vector<SchemaViolation>& out) const {
    if (s.is_boolean()) {
      if (!s.get<bool>()) out.push_back({path, "no value is allowed here"});
      return;
    }
    if (auto r = s.find("$ref"); r != s.end()) check(resolve(*r, path), v, path, out);
    if (auto t = s.find("type"); t != s.end()) {
      if (!own_type_fits(s, v)) {
        const std::string expected = t->is_array() ? t->dump() : t->get<std::string>();
        out.push_back({path, "expected " + expected + ", got " + type_of(v)});
        return;  // the other keywords would only repeat the mismatch
      }
    }
    if (auto c = s.find("const"); c != s.end() && v != *c)
      out.push_back({path, "must be " + c->dump() + ", got " + v.dump()});
    if (auto e = s.find("enum"); e != s.end() && std::find(e->begin(), e->end(), v) == e->end())
      out.push_back({path, "must be one of " + e->dump() + ", got " + v.dump()});
    if (v.is_number()) check_range(s, v, path, out);
    if (v.is_string())
      if (auto m = s.find("minLength"); m != s.end() && code_points(v.get<std::string>()) < m->get<double>())
        out.push_back({path, "must be at least " + m->dump() + " characters long"});
    if (v.is_object()) check_object(s, v, path, out);
    if (v.is_array()) check_array(s, v, path, out);
    if (auto list = s.find("anyOf"); list != s.end()) check_alternatives(*list, v, path, false, out);
    if (auto list = s.find("oneOf"); list != s.end()) check_alternatives(*list, v, path, true, out);
  }

  static void check_range(const json& s, const json& v, const std::string& path, std::vector<SchemaViolation>& out) {
    const double x = v.get<double>();
    if (auto m = s.find("minimum"); m != s.end() && x < m->get<double>())
      out.push_back({path, "must be >= " + m->dump() + ", got " + v.dump()});
    if (auto m = s.find("maximum"); m != s.end() && x > m->get<double>())
      out.push_back({path, "must be <= " + m->dump() + ", got " + v.dump()});
  }

  void check_object(const json& s, const json& v, const std::string& path, std::vector<SchemaViolation>& out) const {
    if (auto r = s.find("required"); r != s.end())
      for (const auto& key : *r)
        if (!v.contains(key.get<std::string>()))
          out.push_back({path, "missing required property \"" + key.get<std::string>() + "\""});
    const auto props = s.find("properties");
    const auto extra = s.find("additionalProperties");
    for (auto it = v.begin(); it != v.end(); ++it) {
      const std::string at = child(path, it.key());
      if (props != s.end() && props->contains(it.key())) check((*props)[it.key()], *it, at, out);
      else if (extra != s.end() && extra->is_boolean() && !extra->get<bool>())
        out.push_back({at, "property is not allowed (additionalProperties is false)"});
      else if (extra != s.end() && extra->is_object()) check(*extra, *it, at, out);
    }
  }

  void check_array(const json& s, const json& v, const std::string& path, std::vector<SchemaViolation>& out) const {
    if (auto m = s.find("minItems"); m != s.end() && v.size() < m->get<double>())
      out.push_back({path, "must have at least " + m->dump() + " items, has " + std::to_string(v.size())});
    if (auto m = s.find("maxItems"); m != s.end() && v.size() > m->get<double>())
      out.push_back({path, "must have at most " + m->dump() + " items, has " + std::to_string(v.size())});
    if (auto items = s.find("items"); items != s.end())
      for (size_t i = 0; i < v.size(); ++i) check(*items, v[i], path + "/" + std::to_string(i), out);
  }

  // anyOf: at least one alternative holds; oneOf: exactly one. When none
  // holds, the closest alternative's violations say what to fix: one of the
  // right type with the fewest violations.
  void check_alternatives(const json& list, const json& v, const std::string& path, bool exactly_one,
                          std::vector<SchemaViolation>& out) const {
    const char* keyword = exactly_one ? "oneOf" : "anyOf";
    std::vector<size_t> matching;
    std::vector<SchemaViolation> closest;
    size_t closest_index = 0, closest_distance = 0;
    for (size_t i = 0; i < list.size(); ++i) {
      std::vector<SchemaViolation> found;
      check(list[i], v, path, found);
      const size_t distance = found.size() + (type_fits(list[i], v) ? 0 : kWrongType);
      if (found.empty()) {
        matching.push_back(i);
      } else if (closest.empty() || distance < closest_distance) {
        closest = std::move(found);
        closest_index = i;
        closest_distance = distance;
      }
    }
    if (matching.empty()) {
      out.push_back({path, std::string("matches none of the ") + std::to_string(list.size()) + " " + keyword +
                               " alternatives; the closest, #" + std::to_string(closest_index) + ", fails on:"});
      out.insert(out.end(), closest.begin(), closest.end());
    } else if (exactly_one && matching.size() > 1) {
      out.push_back({path, "matches oneOf alternatives #" + std::to_string(matching[0]) + " and #" +
                               std::to_string(matching[1]) + "; exactly one must match"});
    }
  }

  static constexpr size_t kWrongType = 1'000'000;

  // Whether `v` has a type the schema's own "type" allows (true without one).
  static bool own_type_fits(const json& s, const json& v) {
    auto t = s.find("type");
    if (t == s.end()) return true;
    const json list = t->is_array() ? *t : json::array({*t});
    const auto allows = [&](const json& name) { return has_type(v, name.get<std::string>()); };
    return std::any_of(list.begin(), list.end(), allows);
  }

  // The same, following a $ref to the definition it names.
  bool type_fits(const json& s, const json& v) const {
    if (!s.is_object()) return s.is_boolean() && s.get<bool>();
    if (auto r = s.find("$ref"); r != s.end() && !type_fits(resolve(*r, ""), v)) return false;
    return own_type_fits(s, v);
  }

  json root_;
};

#ifdef NEBULA_SCHEMA_DIR
// The contract of an insight topic, from the schemas NebulaSDK::schemas
// points at (which defines NEBULA_SCHEMA_DIR). Loaded once per topic.
inline const JsonSchema& topic_schema(const std::string& topic) {
  static std::mutex mu;
  static std::map<std::string, JsonSchema, std::less<>> loaded;
  std::lock_guard lock(mu);
  auto it = loaded.find(topic);
  if (it == loaded.end())
    it = loaded.emplace(topic, JsonSchema::load(std::filesystem::path(NEBULA_SCHEMA_DIR) / "topics" /
                                                (topic + ".schema.json"))).first;
  return it->second;
}
#endif

}  // namespace nebula::testing
