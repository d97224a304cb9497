// The `patterns` insight's active list, read one way by every plugin that
// attributes anomalies to nodes (plugins/common/insight_reading).
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include <nebula_insights/active_anomalies.hpp>

using nebula::insights::ActiveList;
using nebula::insights::for_each_active_anomaly;
using Seen = std::vector<std::pair<std::string, std::string>>;

namespace {

Seen walk(std::string_view text, ActiveList* read = nullptr) {
  Seen seen;
  const ActiveList r = for_each_active_anomaly(text, [&](std::string_view kind, std::string_view node) {
    seen.emplace_back(kind, node);
  });
  if (read) *read = r;
  return seen;
}

}  // namespace

TEST(ActiveAnomalies, NamesEveryNodeOfEveryEntry) {
  ActiveList read = ActiveList::kNotJson;
  EXPECT_EQ(walk(R"({"kind":"patterns","active":[
      {"kind":"stall","node_id":"n1"},
      {"kind":"partition","nodes":["a","b"]},
      {"kind":"eclipse","node_id":"c","nodes":["d"]}],"chains":{}})",
                 &read),
            (Seen{{"stall", "n1"}, {"partition", "a"}, {"partition", "b"}, {"eclipse", "c"}, {"eclipse", "d"}}));
  EXPECT_EQ(read, ActiveList::kRead);
}

TEST(ActiveAnomalies, SkipsWhatIsMalformed) {
  ActiveList read = ActiveList::kNotJson;
  EXPECT_EQ(walk(R"({"active":[
      7, {"node_id":"x"}, {"kind":3,"node_id":"x"}, {"kind":"stall","node_id":5},
      {"kind":"partition","nodes":"a"}, {"kind":"partition","nodes":["a",null]}]})",
                 &read),
            (Seen{{"partition", "a"}}));
  EXPECT_EQ(read, ActiveList::kRead);
}

TEST(ActiveAnomalies, TheLastOfADuplicatedKeyWinsAsInADom) {
  EXPECT_EQ(walk(R"({"active":[{"kind":"stall","kind":"eclipse","node_id":"a","node_id":"b"}],"active":[]})"), Seen{});
  EXPECT_EQ(walk(R"({"active":[],"active":[{"kind":"stall","kind":"eclipse","node_id":"a","node_id":"b"}]})"),
            (Seen{{"eclipse", "b"}}));
}

TEST(ActiveAnomalies, NoActiveArrayIsMissingAndBrokenTextIsNotJson) {
  for (const char* text : {R"({"active":{}})", R"({"other":[]})", "[]", "null"}) {
    ActiveList read = ActiveList::kRead;
    EXPECT_TRUE(walk(text, &read).empty()) << text;
    EXPECT_EQ(read, ActiveList::kMissing) << text;
  }
  for (const char* text : {"", "not an object", R"({"active":[{"kind":"stall","node_id":"a"})"}) {
    ActiveList read = ActiveList::kRead;
    EXPECT_TRUE(walk(text, &read).empty()) << text;
    EXPECT_EQ(read, ActiveList::kNotJson) << text;
  }
  ActiveList read = ActiveList::kMissing;
  walk(R"({"active":[]})", &read);
  EXPECT_EQ(read, ActiveList::kRead);  // an empty list is a usable answer: nothing is active
}
