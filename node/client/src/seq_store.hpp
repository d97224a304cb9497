// Per-node sequence numbers that survive a restart, in <spill_dir>/state.json:
// {"next_seq": {"<node_id>": N, ...}}.
//
// While running, N is a reservation ahead of the real counter (see
// RecordBuffer::extend_reservations): after a crash the next process starts
// past every seq the dead one could have used, so a seq is never reused for
// a different record (gaps are harmless; the pool de-duplicates on seq).
// A clean shutdown writes the exact counters.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>

namespace nebula::node {

using SeqMap = std::map<std::string, std::int64_t>;

// Missing or unreadable file -> empty map (a damaged file is reported in *warning).
SeqMap load_seq_state(const std::filesystem::path& file, std::string* warning);

// Atomic replace (write temp, fsync, rename). Throws std::runtime_error.
void save_seq_state(const std::filesystem::path& file, const SeqMap& next_seq);

}  // namespace nebula::node
