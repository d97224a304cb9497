// The `patterns` insight's active list, read one way by every processor.
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include <nebula_processors/active_anomalies.hpp>

using nebula::processors::for_each_active_anomaly;
using Seen = std::vector<std::pair<std::string, std::string>>;

namespace {

Seen walk(const nlohmann::json& doc, bool* usable = nullptr) {
  Seen seen;
  const bool ok = for_each_active_anomaly(doc, [&](const std::string& kind, const std::string& node) {
    seen.emplace_back(kind, node);
  });
  if (usable) *usable = ok;
  return seen;
}

}  // namespace

TEST(ActiveAnomalies, NamesEveryNodeOfEveryEntry) {
  const auto doc = nlohmann::json::parse(R"({"active":[
      {"kind":"stall","node_id":"n1"},
      {"kind":"partition","nodes":["a","b"]},
      {"kind":"eclipse","node_id":"c","nodes":["d"]}]})");
  EXPECT_EQ(walk(doc), (Seen{{"stall", "n1"}, {"partition", "a"}, {"partition", "b"}, {"eclipse", "c"}, {"eclipse", "d"}}));
}

TEST(ActiveAnomalies, SkipsWhatIsMalformed) {
  const auto doc = nlohmann::json::parse(R"({"active":[
      7, {"node_id":"x"}, {"kind":3,"node_id":"x"}, {"kind":"stall","node_id":5},
      {"kind":"partition","nodes":"a"}, {"kind":"partition","nodes":["a",null]}]})");
  bool usable = false;
  EXPECT_EQ(walk(doc, &usable), (Seen{{"partition", "a"}}));
  EXPECT_TRUE(usable);
}

TEST(ActiveAnomalies, NoActiveArrayIsUnusable) {
  for (const char* text : {R"({"active":{}})", R"({"other":[]})", "[]", "null"}) {
    bool usable = true;
    EXPECT_TRUE(walk(nlohmann::json::parse(text), &usable).empty()) << text;
    EXPECT_FALSE(usable) << text;
  }
  bool usable = false;
  walk(nlohmann::json::parse(R"({"active":[]})"), &usable);
  EXPECT_TRUE(usable);  // an empty list is a usable answer: nothing is active
}
