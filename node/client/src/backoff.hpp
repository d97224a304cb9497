// The node client's retry backoff is nebula::Backoff (sdk/include/nebula/
// backoff.hpp), shared with the Redis transport: exponential with full
// jitter, from backoff.initial_ms doubling up to backoff.max_ms.
#pragma once

#include <nebula/backoff.hpp>

namespace nebula::node {

using nebula::Backoff;

}  // namespace nebula::node
