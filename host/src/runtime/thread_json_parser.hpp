// One simdjson DOM parser per thread, for reading a document on the thread
// that was handed it (insights on their emitting thread). The element a parse
// returns is valid until the next parse on the same thread.
//
// The parser keeps its buffers up to kKeptParserCapacity: insights of a few
// hundred KB are routine (the learning processor's were ~320 KB at 500
// examples each), and a parser rebuilt for each of them spent more on
// allocating and faulting in fresh pages than on parsing (perf: ~9 % of the
// pool's CPU). A rare huge document's buffers go at the next parse.
#pragma once

#include <simdjson.h>

#include <cstddef>
#include <string_view>

namespace nebula::host {

inline constexpr std::size_t kKeptParserCapacity = 4 * 1024 * 1024;

// [any thread] Parses `text` with this thread's parser (copying it into the
// parser's padded buffer).
simdjson::simdjson_result<simdjson::dom::element> parse_on_this_thread(std::string_view text);

}  // namespace nebula::host
