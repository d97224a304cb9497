#include "insight_compare.hpp"

#include <algorithm>
#include <cmath>
#include <string_view>

namespace same_answers {
namespace {

using nlohmann::json;

// Appends a key to a JSON pointer, escaped as RFC 6901 says: '~' -> "~0", '/' -> "~1".
void append_escaped(std::string& pointer, const std::string& key) {
  for (char c : key) {
    if (c == '~') pointer += "~0";
    else if (c == '/') pointer += "~1";
    else pointer += c;
  }
}

std::vector<std::string> segments(const std::string& pointer) {
  std::vector<std::string> out;
  for (size_t pos = 1; pos <= pointer.size();) {
    const size_t end = std::min(pointer.find('/', pos), pointer.size());
    out.push_back(pointer.substr(pos, end - pos));
    pos = end + 1;
  }
  return out;
}

bool matches(const std::string& pattern, const std::string& pointer) {
  const auto want = segments(pattern), have = segments(pointer);
  if (want.size() != have.size()) return false;
  for (size_t i = 0; i < want.size(); ++i)
    if (want[i] != "*" && want[i] != have[i]) return false;
  return true;
}

bool close(double expected, double actual, Tolerance t) {
  if (expected == actual) return true;
  const double diff = std::fabs(expected - actual);
  return diff <= t.absolute || diff <= t.relative * std::max(std::fabs(expected), std::fabs(actual));
}

const char* kind_of(const json& v) {
  if (v.is_null()) return "null";
  if (v.is_boolean()) return "boolean";
  if (v.is_number()) return "number";
  if (v.is_string()) return "string";
  if (v.is_array()) return "array";
  return "object";
}

// Walks both documents together; the pointer of the value at hand is kept in
// one buffer (appended on the way down, cut on the way back), since most of
// the millions of values compared are equal and need no pointer of their own.
class Comparer {
 public:
  Comparer(const std::string& processor, size_t limit) : processor_(processor), limit_(limit) {}

  void compare(const json& expected, const json& actual) {
    if (expected.is_number() && actual.is_number()) return numbers(expected, actual);
    if (std::string_view(kind_of(expected)) != kind_of(actual)) return differ(expected.dump(), actual.dump());
    if (expected.is_object()) return objects(expected, actual);
    if (expected.is_array()) return arrays(expected, actual);
    if (expected != actual) differ(expected.dump(), actual.dump());
  }

  Differences take() { return std::move(found_); }

 private:
  // Counts stay counts: two integers compare exactly. A double on either
  // side (JSON does not tell 5 from 5.0) compares within the tolerance.
  void numbers(const json& expected, const json& actual) {
    if (expected == actual) return;
    const bool integers = !expected.is_number_float() && !actual.is_number_float();
    if (integers || !close(expected.get<double>(), actual.get<double>(), tolerance_for(processor_, pointer_)))
      differ(expected.dump(), actual.dump());
  }

  // Object keys are sorted (nlohmann's std::map): one merge pass.
  void objects(const json& expected, const json& actual) {
    auto e = expected.items().begin(), a = actual.items().begin();
    const auto e_end = expected.items().end(), a_end = actual.items().end();
    while (e != e_end || a != a_end) {
      const bool take_e = a == a_end || (e != e_end && e.key() <= a.key());
      const bool take_a = e == e_end || (a != a_end && a.key() <= e.key());
      const size_t mark = descend(take_e ? e.key() : a.key());
      if (take_e && take_a) compare(e.value(), a.value());
      else if (take_e) differ(e.value().dump(), "(no such key)");
      else differ("(no such key)", a.value().dump());
      pointer_.resize(mark);
      if (take_e) ++e;
      if (take_a) ++a;
    }
  }

  void arrays(const json& expected, const json& actual) {
    if (expected.size() != actual.size())
      differ(std::to_string(expected.size()) + " elements", std::to_string(actual.size()) + " elements");
    for (size_t i = 0; i < std::min(expected.size(), actual.size()); ++i) {
      const size_t mark = descend(std::to_string(i));
      compare(expected[i], actual[i]);
      pointer_.resize(mark);
    }
  }

  size_t descend(const std::string& key) {
    const size_t mark = pointer_.size();
    pointer_ += '/';
    append_escaped(pointer_, key);
    return mark;
  }

  void differ(std::string expected, std::string actual) {
    ++found_.total;
    constexpr size_t kShown = 300;  // a whole sub-document that differs is cut short
    for (auto* text : {&expected, &actual})
      if (text->size() > kShown) *text = text->substr(0, kShown) + "...";
    if (found_.listed.size() < limit_)
      found_.listed.push_back({pointer_.empty() ? "/" : pointer_, std::move(expected), std::move(actual)});
  }

  const std::string& processor_;
  size_t limit_;
  std::string pointer_;
  Differences found_;
};

}  // namespace

Tolerance tolerance_for(const std::string& processor, const std::string& pointer) {
  for (const auto& f : kSketchFields)
    if (processor == f.processor && matches(f.path, pointer)) return kSketchTolerance;
  return kExactDoubles;
}

Differences compare_insight(const std::string& processor, const json& expected, const json& actual, size_t limit) {
  Comparer comparer(processor, limit);
  comparer.compare(expected, actual);
  return comparer.take();
}

}  // namespace same_answers
