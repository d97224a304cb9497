#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "metrics/metrics.hpp"
#include "metrics/prometheus_text.hpp"

namespace prom = nebula::host::prometheus;
using nebula::host::sanitize_metric_name;

TEST(PrometheusText, IntegersPrintWithoutExponent) {
  EXPECT_EQ(prom::format_value(0), "0");
  EXPECT_EQ(prom::format_value(-0.0), "0");
  EXPECT_EQ(prom::format_value(12), "12");
  EXPECT_EQ(prom::format_value(-7), "-7");
  EXPECT_EQ(prom::format_value(1e6), "1000000");
  EXPECT_EQ(prom::format_value(1e15), "1000000000000000");
  EXPECT_EQ(prom::format_value(9007199254740993.0), "9007199254740992");  // 2^53 + 1 rounds
}

TEST(PrometheusText, FractionsRoundTrip) {
  EXPECT_EQ(prom::format_value(0.5), "0.5");
  EXPECT_EQ(prom::format_value(0.1), "0.1");
  EXPECT_EQ(prom::format_value(1.0 / 3.0), "0.3333333333333333");
  EXPECT_EQ(prom::format_value(2.5e-10), "2.5e-10");
  EXPECT_EQ(prom::format_value(1.5e300), "1.5e+300");
}

TEST(PrometheusText, SpecialValues) {
  EXPECT_EQ(prom::format_value(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(prom::format_value(-std::numeric_limits<double>::infinity()), "-Inf");
  EXPECT_EQ(prom::format_value(std::nan("")), "NaN");
}

TEST(PrometheusText, EscapesLabelValues) {
  EXPECT_EQ(prom::escape_label_value("plain"), "plain");
  EXPECT_EQ(prom::escape_label_value("a\\b\"c\nd"), "a\\\\b\\\"c\\nd");
}

TEST(PrometheusText, EscapesHelpButKeepsQuotes) {
  EXPECT_EQ(prom::escape_help("say \"hi\"\\now\nplease"), "say \"hi\"\\\\now\\nplease");
}

TEST(PrometheusText, SanitizesMetricNames) {
  EXPECT_EQ(sanitize_metric_name("a.b-c"), "a_b_c");
  EXPECT_EQ(sanitize_metric_name("9lives"), "_9lives");
  EXPECT_EQ(sanitize_metric_name("ok_name:sum"), "ok_name:sum");
  EXPECT_EQ(sanitize_metric_name("spaces and ü"), "spaces_and___");  // ü is two bytes
  EXPECT_EQ(sanitize_metric_name(""), "_");
}

TEST(PrometheusText, SanitizesLabelNamesWithoutColons) {
  EXPECT_EQ(prom::sanitize_label_name("component:id"), "component_id");
  EXPECT_EQ(prom::sanitize_label_name("1st"), "_1st");
}
