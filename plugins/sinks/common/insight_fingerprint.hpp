// A stable 64-bit digest of an insight's JSON text. With the insight's
// source, topic and timestamp it keys a stored insight, so a batch the host
// delivers again after a RETRY is recognised instead of stored twice.
#pragma once

#include <cstdint>
#include <string_view>

namespace nebula::sinks {

// FNV-1a: the same on every host and build, unlike std::hash, so a database
// written by one pool is keyed the same way by the next.
int64_t insight_fingerprint(std::string_view json);

}  // namespace nebula::sinks
