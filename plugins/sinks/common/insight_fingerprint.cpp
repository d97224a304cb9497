#include "insight_fingerprint.hpp"

namespace nebula::sinks {

int64_t insight_fingerprint(std::string_view json) {
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : json) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return static_cast<int64_t>(h);  // databases store signed 64-bit integers
}

}  // namespace nebula::sinks
