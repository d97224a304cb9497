// One insight as one JSON line, the file sink's record format:
//   {"topic":..,"source":..,"timestamp":..,"insight":<document>}\n
#pragma once

#include <string>

#include <nebula/plugin.hpp>

namespace nebula::sink::file {

// The document is parsed and re-serialised, so a pretty-printed one still
// makes a single line. Throws Error(NEBULA_INVALID) when it is not JSON (the
// host then dead-letters that insight alone).
std::string insight_line(const Insight& insight);

}  // namespace nebula::sink::file
