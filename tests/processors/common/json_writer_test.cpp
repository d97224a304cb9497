// JsonWriter writes what nlohmann::json::dump() gives for the same document
// (keys written in sorted order): the learning processor's insights rely on it.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include <nebula/double_text.hpp>
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

// The buffer runs ahead of the text: neither growing it nor reserving more
// than is written may show in the text or in what take() hands over.
TEST(JsonWriter, TextAndTakeAreExactlyWhatWasWrittenWhateverTheRoom) {
  nlohmann::json expected = nlohmann::json::array();
  JsonWriter grown, reserved;
  reserved.reserve(1 << 20);
  grown.begin_array();
  reserved.begin_array();
  for (int i = 0; i < 5000; ++i) {
    const std::string id = "node-" + std::to_string(i) + (i % 7 == 0 ? "\"\n" : "");
    grown.begin_object().key("id").value(id).key("x").value(i * 0.37).end_object();
    reserved.begin_object().key("id").value(id).key("x").value(i * 0.37).end_object();
    expected.push_back({{"id", id}, {"x", i * 0.37}});
  }
  grown.end_array();
  reserved.end_array();
  EXPECT_EQ(grown.text(), expected.dump());
  EXPECT_EQ(reserved.text(), expected.dump());
  const std::string taken = reserved.take();
  EXPECT_EQ(taken, expected.dump());
  EXPECT_EQ(taken.size(), std::strlen(taken.c_str())) << "no room left behind the text";
  JsonWriter empty;
  EXPECT_EQ(empty.take(), "");
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

// Every layout dump() uses, byte for byte: integral ("ddd.0"), plain
// decimals, small fractions down to 1e-4, exponents of one to three digits.
TEST(DoubleText, LaysNumbersOutAsDumpDoes) {
  for (double v : {0.0, -0.0, 1.0, -1.0, 0.5, 12.0, 0.1, 0.3, 1234.5678, 1e-4, 1.5e-4, 0.0001234, 1e-5, -3.25e-7,
                   2.5e-5, 100.0, 123456789012345.0, 1e15, 1e16, 1.5e16, 1e21, 1e22, 1e100, 1e-300, 5e-324,
                   std::numeric_limits<double>::max(), std::numeric_limits<double>::lowest()}) {
    char buf[nebula::kDoubleTextMax];
    EXPECT_EQ(std::string(buf, nebula::write_double_text(buf, v)), nlohmann::json(v).dump()) << v;
  }
}

// Whole numbers take a shortcut (integer digits, then ".0"): the same text as
// dump() gives, on both sides of where the shortcut ends (1e15).
TEST(DoubleText, WholeNumbersAreLaidOutAsDumpDoes) {
  std::vector<double> values;
  for (double v = -3000; v <= 3000; ++v) values.push_back(v);
  for (double big : {999999999999999.0, 999999999999998.0, 1e15, 1e15 + 2, 9007199254740992.0, 4294967296.0,
                     2147483648.0, 1796632369.0, 1e14, 123456789.0})
    values.insert(values.end(), {big, -big});
  for (double v : values) {
    char buf[nebula::kDoubleTextMax];
    ASSERT_EQ(std::string(buf, nebula::write_double_text(buf, v)), nlohmann::json(v).dump()) << v;
  }
}

// Random bit patterns and everyday values: the text always reads back to the
// same double, and differs from dump() only where Grisu2 is not shortest
// (then it is as short or shorter, and the nearest of the shortest).
TEST(DoubleText, ReadsBackExactlyAndIsNeverLongerThanDump) {
  std::mt19937_64 random(15);
  std::normal_distribution<double> gauss(0, 100);
  size_t differing = 0, checked = 0;
  for (int i = 0; i < 200000; ++i) {
    double v = 0;
    if (i % 2) {
      const uint64_t bits = random();
      std::memcpy(&v, &bits, sizeof v);
    } else {
      v = i % 4 ? gauss(random) : std::round(gauss(random) * 100) / 100;
    }
    if (!std::isfinite(v)) continue;
    ++checked;
    char buf[nebula::kDoubleTextMax];
    const std::string text(buf, nebula::write_double_text(buf, v));
    ASSERT_EQ(std::strtod(text.c_str(), nullptr), v) << text;
    const std::string dumped = nlohmann::json(v).dump();
    if (text == dumped) continue;
    ++differing;
    EXPECT_LE(text.size(), dumped.size()) << text << " vs " << dumped;
  }
  EXPECT_LT(differing, checked / 100) << "the layout itself differs, not just Grisu2's digits";
}
