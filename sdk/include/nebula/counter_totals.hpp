// Host counters take increments; engines keep running totals. CounterTotals
// remembers what was reported per counter and adds only the growth, so a
// plugin can report its engine's totals after every batch.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "nebula/host.hpp"

namespace nebula {

class CounterTotals {
 public:
  // Adds what `total` grew by since the last call for `name`, and returns it.
  // A total below the last one belongs to a restarted count (state rebuilt
  // from a file or checkpoint): all of it is new.
  uint64_t report(const Host& host, std::string_view name, uint64_t total) {
    auto it = reported_.find(name);
    if (it == reported_.end()) it = reported_.emplace(std::string(name), 0).first;
    const uint64_t grown = total >= it->second ? total - it->second : total;
    it->second = total;
    if (grown) host.count(it->first, static_cast<double>(grown));
    return grown;
  }

 private:
  std::map<std::string, uint64_t, std::less<>> reported_;
};

}  // namespace nebula
