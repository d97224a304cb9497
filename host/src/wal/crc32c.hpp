// CRC-32C (Castagnoli: polynomial 0x1EDC6F41, reflected, initial value and
// final xor 0xFFFFFFFF), the checksum of every WAL frame. The SSE4.2 `crc32`
// instruction computes it 8 bytes at a time; machines without it get a
// slicing-by-8 table. Both give the same checksums as boost::crc_optimal
// with those parameters, which wrote every existing log (tests/wal/crc32c_test.cpp).
#pragma once

#include <cstdint>
#include <string_view>

namespace nebula::wal {

// The checksum of `previous`'s bytes followed by `bytes`, given `previous`
// (the checksum so far; 0 before any byte). Picks the fastest implementation
// this CPU has, once. Thread-safe.
uint32_t crc32c(uint32_t previous, std::string_view bytes);

// The implementations, for tests and benchmarks. The hardware one may only be
// called when crc32c_hardware_available().
uint32_t crc32c_portable(uint32_t previous, std::string_view bytes);
uint32_t crc32c_hardware(uint32_t previous, std::string_view bytes);
bool crc32c_hardware_available();

}  // namespace nebula::wal
