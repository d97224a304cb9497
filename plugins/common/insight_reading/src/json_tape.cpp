#include "nebula_insights/json_tape.hpp"

#include <string>

#include <nlohmann/json.hpp>

namespace nebula::insights {

namespace {

// Insights are routinely tens of KB (the learning processor's ~64 KB); a
// parser that grew past this for a rare huge document is replaced on the
// next call rather than kept by every thread.
constexpr size_t kKeptParserCapacity = 4 * 1024 * 1024;

}  // namespace

std::optional<simdjson::dom::element> parse_json_tape(std::string_view json) {
  thread_local simdjson::dom::parser parser;
  if (parser.capacity() > kKeptParserCapacity) parser = simdjson::dom::parser();
  simdjson::dom::element root;
  if (!parser.parse(json.data(), json.size()).get(root)) return root;
  // Rare: the producers never write any of what simdjson refuses.
  const auto dom = nlohmann::json::parse(json, nullptr, false);
  if (dom.is_discarded()) return std::nullopt;
  const std::string plain = dom.dump();
  if (parser.parse(plain).get(root)) return std::nullopt;  // nesting beyond 1024 levels
  return root;
}

std::optional<simdjson::dom::element> member_of(const simdjson::dom::element& object, std::string_view key) {
  if (object.type() != simdjson::dom::element_type::OBJECT) return std::nullopt;
  std::optional<simdjson::dom::element> found;
  for (const auto field : object_of(object))
    if (field.key == key) found = field.value;
  return found;
}

}  // namespace nebula::insights
