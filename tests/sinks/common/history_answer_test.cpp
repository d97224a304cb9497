#include <gtest/gtest.h>

#include <vector>

#include <nebula/host.hpp>

#include "history_answer.hpp"
#include "history_cursor.hpp"

namespace nebula::sinks {
namespace {

using nlohmann::json;

std::vector<HistoryRow> rows(int64_t newest, int64_t count) {
  std::vector<HistoryRow> out;
  for (int64_t id = newest; id > newest - count; --id) {
    HistoryRow r;
    r.id = id;
    r.topic = "patterns";
    r.source = "patterns";
    r.timestamp = 1000.0 + static_cast<double>(id);
    r.nodes = {"n" + std::to_string(id)};
    r.chains = {"testnet"};
    r.json = R"({"kind":"patterns","n":)" + std::to_string(id) + "}";
    out.push_back(std::move(r));
  }
  return out;
}

TEST(HistoryAnswer, APageWithMoreBehindItCarriesTheCursorOfItsLastInsight) {
  HistoryRequest request;
  request.limit = 3;
  const json answer = history_answer(rows(10, 4), request);  // fetched limit + 1
  ASSERT_EQ(answer["insights"].size(), 3u);
  EXPECT_EQ(answer["insights"][0]["id"], 10);
  EXPECT_EQ(answer["insights"][2]["id"], 8);
  EXPECT_EQ(answer["next"], encode_cursor(8));
  const json& first = answer["insights"][0];
  EXPECT_EQ(first["topic"], "patterns");
  EXPECT_EQ(first["source"], "patterns");
  EXPECT_EQ(first["timestamp"], 1010.0);
  EXPECT_EQ(first["nodes"], json::array({"n10"}));
  EXPECT_EQ(first["chains"], json::array({"testnet"}));
  EXPECT_EQ(first["insight"], json::parse(R"({"kind":"patterns","n":10})"));
}

TEST(HistoryAnswer, TheLastPageHasNoCursor) {
  HistoryRequest request;
  request.limit = 3;
  EXPECT_TRUE(history_answer(rows(3, 3), request)["next"].is_null());
  const json none = history_answer({}, request);
  EXPECT_EQ(none["insights"], json::array());
  EXPECT_TRUE(none["next"].is_null());
}

TEST(HistoryAnswer, ADamagedStoredDocumentIsAnIoError) {
  auto damaged = rows(1, 1);
  damaged[0].json = "{\"kind\":";
  try {
    history_answer(damaged, HistoryRequest{});
    FAIL() << "accepted damaged JSON";
  } catch (const Error& e) {
    EXPECT_EQ(e.status(), NEBULA_IO);
    EXPECT_STREQ(e.what(), "stored insight 1 is damaged: its JSON no longer parses");
  }
}

}  // namespace
}  // namespace nebula::sinks
