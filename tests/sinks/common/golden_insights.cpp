#include "golden_insights.hpp"

#include <zlib.h>

#include <memory>
#include <stdexcept>
#include <type_traits>

namespace nebula::sinks::testing {
namespace {

const std::string kFixture = std::string(NEBULA_SOURCE_DIR) + "/tests/fixtures/same_answers/pipeline_insights.jsonl.gz";

std::string read_gz(const std::string& path) {
  std::unique_ptr<std::remove_pointer_t<gzFile>, int (*)(gzFile)> f(gzopen(path.c_str(), "rb"), &gzclose);
  if (!f) throw std::runtime_error("cannot open " + path);
  std::string text;
  char buf[1 << 16];
  int n = 0;
  while ((n = gzread(f.get(), buf, sizeof buf)) > 0) text.append(buf, static_cast<size_t>(n));
  if (n < 0) throw std::runtime_error("damaged gzip: " + path);
  return text;
}

std::vector<GoldenInsight> load() {
  const std::string text = read_gz(kFixture);
  std::vector<GoldenInsight> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) {
      auto line = nlohmann::json::parse(text.substr(start, end - start));
      GoldenInsight g;
      g.processor = line.at("processor").get<std::string>();
      g.topic = line.at("topic").get<std::string>();
      g.doc = std::move(line.at("insight"));
      g.json = g.doc.dump();
      out.push_back(std::move(g));
    }
    start = end + 1;
  }
  return out;
}

}  // namespace

const std::vector<GoldenInsight>& golden_insights() {
  static const std::vector<GoldenInsight> all = load();
  return all;
}

std::vector<GoldenInsight> golden_of_topic(const std::string& topic, size_t count) {
  std::vector<GoldenInsight> out;
  for (const auto& g : golden_insights())
    if (g.topic == topic && out.size() < count) out.push_back(g);
  return out;
}

}  // namespace nebula::sinks::testing
