// The paging cursor of a history answer: an opaque string that encodes the id
// of the last insight a page held, so the next page starts right after it
// (no gaps, no repeats, however many insights arrive in between).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace nebula::sinks {

std::string encode_cursor(int64_t last_id);

// The id a cursor from encode_cursor() holds; nullopt for anything else.
std::optional<int64_t> decode_cursor(std::string_view cursor);

}  // namespace nebula::sinks
