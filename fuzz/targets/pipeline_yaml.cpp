// The pipeline loader (host/src/config/) on any text: phase 1
// (parse_pipeline_text, with a fixed fake environment) and phase 2
// (check_components, with fake plugins whose validate_config reports an
// error at JSON pointers into the component's config, so the pointer → YAML
// line:col mapping runs on real trees). Checks: nothing throws; no
// "internal error" issue (the loader's catch-all, i.e. a bug); every issue
// has a message and a position inside the text.
#include <algorithm>
#include <cstdint>
#include <map>
#include <string>

#include "config/pipeline_config.hpp"
#include "fuzz_support.hpp"

namespace {

using namespace nebula::host;

std::optional<std::string> fake_env(const std::string& name) {
  static const std::map<std::string, std::string> env = {
      {"HOME", "/home/fuzz"}, {"PORT", "7000"},          {"EMPTY", ""},
      {"NAME", "ingest"},     {"NESTED", "${PORT}"},     {"LIST", "[a, b]"},
      {"BIG", "99999999999999999999"}, {"FLOAT", "2.5e3"}, {"TRUE", "true"},
  };
  auto it = env.find(name);
  if (it == env.end()) return std::nullopt;
  return it->second;
}

// Up to `budget` pointers to the nodes of `doc` ("" is the whole config).
void pointers(const nlohmann::json& doc, const std::string& at, std::vector<std::string>& out, size_t budget) {
  if (out.size() >= budget) return;
  out.push_back(at);
  if (doc.is_object()) {
    for (const auto& [key, value] : doc.items()) {
      std::string token;
      for (char c : key) token += c == '~' ? "~0" : c == '/' ? "~1" : std::string(1, c);
      pointers(value, at + "/" + token, out, budget);
    }
  } else if (doc.is_array()) {
    for (size_t i = 0; i < doc.size(); ++i) pointers(doc[i], at + "/" + std::to_string(i), out, budget);
  }
}

std::optional<PluginFacts> fake_plugin(const std::string& id) {
  PluginFacts facts{NEBULA_KIND_PROCESSOR, nullptr};
  if (id.starts_with("nebula.transport.")) facts.kind = NEBULA_KIND_TRANSPORT;
  else if (id.starts_with("nebula.agent.")) facts.kind = NEBULA_KIND_AGENT;
  else if (id.starts_with("x.odd")) facts.kind = static_cast<nebula_plugin_kind>(0);  // in range, not a kind
  else if (!id.starts_with("nebula.processor.")) return std::nullopt;
  facts.validate = [](const nlohmann::json& config) {
    (void)config.dump();  // as app/pipeline_loader.cpp does; a throw becomes an issue
    std::vector<std::string> at;
    pointers(config, "", at, 16);
    at.push_back("/no/such/key");
    at.push_back("/0/-1/~2");
    std::vector<std::pair<std::string, std::string>> errors;
    for (auto& p : at) errors.emplace_back(std::move(p), "fake problem");
    return errors;
  };
  return facts;
}

void check_issues(const std::vector<ConfigIssue>& issues, const std::string& text) {
  const int lines = 1 + static_cast<int>(std::count(text.begin(), text.end(), '\n'));
  for (const auto& issue : issues) {
    FUZZ_CHECK(!issue.message.empty(), issue.format());
    // The loader's catch-all (an exception escaped a parsing step); its mark
    // is line 0, so input text echoed in other messages cannot match.
    FUZZ_CHECK(issue.mark.line != 0 || !issue.message.starts_with("internal error"), issue.format());
    FUZZ_CHECK(issue.mark.line >= 0 && issue.mark.line <= lines + 1 && issue.mark.column >= 0, issue.format());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  ParseResult parsed = parse_pipeline_text(text, "fuzz.yaml", "/fuzz/config", fake_env);
  check_issues(parsed.issues, text);
  std::vector<ConfigIssue> phase2;
  check_components(parsed.config, fake_plugin, phase2);
  check_issues(phase2, text);
  return 0;
}
