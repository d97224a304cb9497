// Reads a Prometheus text exposition (format 0.0.4) the way a strict scraper
// would: every family with its HELP, TYPE and samples, and every way the text
// breaks the format's rules (a sample before its family's TYPE, a HELP or TYPE
// given twice, a line that is not a sample).
#pragma once

#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace nebula_deploy_test {

struct Sample {
  std::string labels;  // as written between the braces, "" without
  double value = 0;
};

struct Family {
  std::string help;
  std::string type;
  bool has_help = false;
  std::vector<Sample> samples;
};

struct Exposition {
  std::map<std::string, Family> families;
  std::vector<std::string> problems;

  bool has(const std::string& family) const { return families.count(family) != 0; }
  // The sample of `family` whose labels contain `label_text` (e.g. component="analyst"); -1 when none.
  double value(const std::string& family, const std::string& label_text = "") const {
    auto f = families.find(family);
    if (f == families.end()) return -1;
    for (const auto& s : f->second.samples)
      if (s.labels.find(label_text) != std::string::npos) return s.value;
    return -1;
  }
};

// The family a sample line belongs to: its own name, or for a histogram's
// _bucket/_sum/_count lines the histogram's name.
inline std::string family_of_sample(const std::string& name, const std::map<std::string, Family>& families) {
  if (families.count(name)) return name;
  for (const char* suffix : {"_bucket", "_sum", "_count"}) {
    const std::string s(suffix);
    if (name.size() > s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0) {
      const std::string base = name.substr(0, name.size() - s.size());
      if (auto f = families.find(base); f != families.end() && f->second.type == "histogram") return base;
    }
  }
  return name;
}

inline Exposition parse_exposition(const std::string& text) {
  static const std::regex comment(R"(^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) ?(.*)$)");
  static const std::regex sample(R"(^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)( \d+)?$)");
  Exposition out;
  std::set<std::string> helped, typed;
  std::istringstream in(text);
  std::string line;
  size_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty()) continue;
    std::smatch m;
    if (line[0] == '#') {
      if (!std::regex_match(line, m, comment)) continue;  // a plain comment
      const std::string kind = m[1], name = m[2], rest = m[3];
      Family& f = out.families[name];
      if (!f.samples.empty()) out.problems.push_back(name + ": # " + kind + " after its samples (line " + std::to_string(number) + ")");
      if (kind == "HELP") {
        if (!helped.insert(name).second) out.problems.push_back(name + ": HELP given twice");
        f.help = rest;
        f.has_help = true;
      } else {
        if (!typed.insert(name).second) out.problems.push_back(name + ": TYPE given twice");
        f.type = rest;
      }
      continue;
    }
    if (!std::regex_match(line, m, sample)) {
      out.problems.push_back("line " + std::to_string(number) + " is not a sample: " + line);
      continue;
    }
    const std::string family = family_of_sample(m[1], out.families);
    if (!typed.count(family)) out.problems.push_back(std::string(m[1]) + ": sample without a # TYPE before it");
    out.families[family].samples.push_back({m[3], std::stod(m[4])});
  }
  return out;
}

}  // namespace nebula_deploy_test
