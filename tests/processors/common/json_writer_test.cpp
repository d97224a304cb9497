// JsonWriter writes what nlohmann::json::dump() gives for the same document
// (keys written in sorted order): the learning processor's insights rely on it.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include <nebula/json_writer.hpp>
#include <nlohmann/json.hpp>

using nebula::JsonWriter;

TEST(JsonWriter, NestedDocumentIsByteForByteWhatDumpGives) {
  JsonWriter w;
  w.begin_object();
  w.key("a").begin_array().value(1.0).value(-0.0).value(0.1).value(1e21).value(1e-7).value(int64_t{-3}).end_array();
  w.key("b").begin_object().end_object();
  w.key("c").begin_array().end_array();
  w.key("d").begin_object().key("x").value(true).key("y").null().key("z").value(uint64_t{18446744073709551615u}).end_object();
  w.key("e").value("plain");
  w.end_object();
  const nlohmann::json doc = nlohmann::json::parse(w.text());
  EXPECT_EQ(w.text(), doc.dump());
  EXPECT_EQ(doc["a"][1].get<double>(), 0.0);
  EXPECT_FALSE(std::signbit(doc["a"][1].get<double>())) << "-0 is written as 0";
}

TEST(JsonWriter, StringsAreEscapedAsDumpEscapesThem) {
  std::string every_control;
  for (char c = 1; c < 0x20; ++c) every_control += c;
  for (const std::string& s : {std::string("quote \" and \\ backslash"), every_control, std::string("ünïcödé ✓"),
                              std::string("tab\tend\n"), std::string()}) {
    JsonWriter w;
    w.value(s);
    EXPECT_EQ(w.text(), nlohmann::json(s).dump()) << s;
  }
}

TEST(JsonWriter, NonFiniteNumbersAreNull) {
  JsonWriter w;
  w.begin_array()
      .value(std::numeric_limits<double>::quiet_NaN())
      .value(std::numeric_limits<double>::infinity())
      .value(-std::numeric_limits<double>::infinity())
      .end_array();
  EXPECT_EQ(w.text(), "[null,null,null]");
}

TEST(JsonWriter, RawFragmentsAndCommasBetweenSiblings) {
  JsonWriter inner;
  inner.begin_array().value("x").value("y").end_array();
  JsonWriter w;
  w.begin_array().raw(inner.text()).begin_object().key("k").raw(inner.text()).end_object().raw("3").end_array();
  EXPECT_EQ(w.text(), R"([["x","y"],{"k":["x","y"]},3])");
}
