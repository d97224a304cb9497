#include "runtime/thread_json_parser.hpp"

namespace nebula::host {

simdjson::simdjson_result<simdjson::dom::element> parse_on_this_thread(std::string_view text) {
  thread_local simdjson::dom::parser parser;
  if (parser.capacity() > kKeptParserCapacity) parser = simdjson::dom::parser();
  return parser.parse(text.data(), text.size());
}

}  // namespace nebula::host
