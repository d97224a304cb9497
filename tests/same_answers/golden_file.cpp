#include "golden_file.hpp"

#include <zlib.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <stdexcept>
#include <utility>

namespace same_answers {
namespace {

using nlohmann::json;

void round_doubles(json& v) {
  if (v.is_number_float()) {
    char text[32];
    std::snprintf(text, sizeof text, "%.12g", v.get<double>());
    v = std::strtod(text, nullptr);
  } else if (v.is_structured()) {
    for (auto& child : v) round_doubles(child);
  }
}

using GzFile = std::unique_ptr<std::remove_pointer_t<gzFile>, int (*)(gzFile)>;

GzFile open_gz(const std::string& path, const char* mode) {
  GzFile f(gzopen(path.c_str(), mode), &gzclose);
  if (!f) throw std::runtime_error("cannot open " + path);
  return f;
}

}  // namespace

json canonical(const EmittedInsight& insight) { return json::parse(insight.json); }

void write_golden(const std::string& path, const std::vector<EmittedInsight>& insights) {
  // gzopen writes no name and a zero mtime: the same insights give the same bytes.
  const GzFile f = open_gz(path, "wb9");
  std::map<std::pair<std::string, std::string>, size_t> seen;
  for (const auto& in : insights) {
    json doc = canonical(in);
    round_doubles(doc);
    const json line = {{"processor", in.processor},
                       {"topic", in.topic},
                       {"index", seen[{in.processor, in.topic}]++},
                       {"insight", std::move(doc)}};
    const std::string text = line.dump() + '\n';
    if (gzwrite(f.get(), text.data(), static_cast<unsigned>(text.size())) != static_cast<int>(text.size()))
      throw std::runtime_error("cannot write " + path);
  }
}

std::vector<GoldenInsight> read_golden(const std::string& path) {
  const GzFile f = open_gz(path, "rb");
  std::string text;
  char buffer[1 << 16];
  for (int n; (n = gzread(f.get(), buffer, sizeof buffer)) > 0;) text.append(buffer, static_cast<size_t>(n));
  int status = Z_OK;
  gzerror(f.get(), &status);
  if (status != Z_OK && status != Z_STREAM_END) throw std::runtime_error(path + " is damaged");
  std::vector<GoldenInsight> out;
  for (size_t pos = 0; pos < text.size();) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    json line = json::parse(text.substr(pos, end - pos));
    out.push_back({line.at("processor").get<std::string>(), line.at("topic").get<std::string>(),
                   std::move(line.at("insight"))});
    pos = end + 1;
  }
  return out;
}

}  // namespace same_answers
