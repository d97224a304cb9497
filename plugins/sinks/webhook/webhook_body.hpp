// The body of one webhook POST:
//   {"insights":[{"topic":..,"source":..,"timestamp":..,"insight":<document>}, ...]}
// in delivery order.
#pragma once

#include <string>
#include <vector>

#include <nebula/plugin.hpp>

namespace nebula::sink::webhook {

// Throws Error(NEBULA_INVALID) naming the insight whose document is not JSON
// (the host then offers the batch one by one and dead-letters only that one).
std::string webhook_body(const std::vector<Insight>& batch);

}  // namespace nebula::sink::webhook
