#include "wal/crc32c.hpp"

#include <array>
#include <cstring>

#if defined(__x86_64__) || defined(__i386__)
#include <nmmintrin.h>
#define NEBULA_CRC32C_X86 1
#endif

namespace nebula::wal {
namespace {

constexpr uint32_t kReflectedPolynomial = 0x82F63B78u;  // 0x1EDC6F41 bit-reversed

// kTables[0] is the byte-at-a-time table; kTables[k][b] is the CRC of byte b
// followed by k zero bytes, so eight bytes are folded with eight lookups.
constexpr std::array<std::array<uint32_t, 256>, 8> make_tables() {
  std::array<std::array<uint32_t, 256>, 8> t{};
  for (uint32_t b = 0; b < 256; ++b) {
    uint32_t crc = b;
    for (int bit = 0; bit < 8; ++bit) crc = (crc >> 1) ^ (crc & 1u ? kReflectedPolynomial : 0u);
    t[0][b] = crc;
  }
  for (size_t k = 1; k < 8; ++k)
    for (uint32_t b = 0; b < 256; ++b) t[k][b] = (t[k - 1][b] >> 8) ^ t[0][t[k - 1][b] & 0xFFu];
  return t;
}

constexpr auto kTables = make_tables();

#ifdef NEBULA_CRC32C_X86
// Compiled for SSE4.2 alone, so the rest of the build needs no -msse4.2.
__attribute__((target("sse4.2"))) uint32_t hardware_state(uint32_t state, const unsigned char* p, size_t n) {
  for (; n && reinterpret_cast<uintptr_t>(p) % 8; --n) state = _mm_crc32_u8(state, *p++);
  uint64_t wide = state;
  for (; n >= 8; n -= 8, p += 8) {
    uint64_t word;
    std::memcpy(&word, p, 8);
    wide = _mm_crc32_u64(wide, word);
  }
  state = static_cast<uint32_t>(wide);
  for (; n; --n) state = _mm_crc32_u8(state, *p++);
  return state;
}
#endif

// Little-endian only (frame.hpp): the 8-byte word is read in memory order.
uint32_t portable_state(uint32_t state, const unsigned char* p, size_t n) {
  for (; n >= 8; n -= 8, p += 8) {
    uint32_t low;
    uint32_t high;
    std::memcpy(&low, p, 4);
    std::memcpy(&high, p + 4, 4);
    low ^= state;
    state = kTables[7][low & 0xFF] ^ kTables[6][(low >> 8) & 0xFF] ^ kTables[5][(low >> 16) & 0xFF] ^
            kTables[4][low >> 24] ^ kTables[3][high & 0xFF] ^ kTables[2][(high >> 8) & 0xFF] ^
            kTables[1][(high >> 16) & 0xFF] ^ kTables[0][high >> 24];
  }
  for (; n; --n) state = (state >> 8) ^ kTables[0][(state ^ *p++) & 0xFFu];
  return state;
}

using StateFn = uint32_t (*)(uint32_t, const unsigned char*, size_t);

// The checksum is the complemented internal state, before and after.
uint32_t run(StateFn fn, uint32_t previous, std::string_view bytes) {
  return ~fn(~previous, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
}

StateFn fastest() {
#ifdef NEBULA_CRC32C_X86
  if (crc32c_hardware_available()) return hardware_state;
#endif
  return portable_state;
}

}  // namespace

bool crc32c_hardware_available() {
#ifdef NEBULA_CRC32C_X86
  __builtin_cpu_init();  // may run during static initialisation, before libgcc's own
  return __builtin_cpu_supports("sse4.2");
#else
  return false;
#endif
}

uint32_t crc32c_portable(uint32_t previous, std::string_view bytes) { return run(portable_state, previous, bytes); }

uint32_t crc32c_hardware(uint32_t previous, std::string_view bytes) {
#ifdef NEBULA_CRC32C_X86
  return run(hardware_state, previous, bytes);
#else
  return run(portable_state, previous, bytes);
#endif
}

uint32_t crc32c(uint32_t previous, std::string_view bytes) {
  static const StateFn chosen = fastest();
  return run(chosen, previous, bytes);
}

}  // namespace nebula::wal
