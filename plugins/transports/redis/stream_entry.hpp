// The shape of one stream entry, written by the client, read by the server:
//   XADD <prefix>:<shard> * f application/x-ndjson d <records> n <count>
#pragma once

#include <string_view>

#include <nebula/nebula_plugin.h>

namespace nebula::redis::entry {

inline constexpr std::string_view format_field = "f";  // payload format of `d`
inline constexpr std::string_view data_field = "d";    // the records, one JSON object per line ("\n" after each)
inline constexpr std::string_view count_field = "n";   // how many records `d` holds, decimal
inline constexpr std::string_view ndjson_format = NEBULA_FORMAT_NDJSON;

}  // namespace nebula::redis::entry
