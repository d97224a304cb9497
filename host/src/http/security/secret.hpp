// Comparing and carrying shared secrets (bearer tokens).
#pragma once

#include <string>
#include <string_view>

namespace nebula::security {

// Equal without leaking where they differ or how long the expected one is:
// both sides are hashed (SHA-256) and the digests compared in constant time.
bool secret_equal(std::string_view expected, std::string_view given);

// "Bearer abc" -> "abc" (scheme case-insensitive, blanks trimmed); "" when
// the header is absent or uses another scheme.
std::string bearer_token(std::string_view authorization);

}  // namespace nebula::security
