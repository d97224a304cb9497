// The write-ahead-log reader (host/src/wal/): any bytes as a segment file.
// Beyond "no crash, no sanitizer report" it checks that the scan accounts
// for every byte (good frames + damaged bytes = input), that each good frame
// re-encodes to exactly the bytes it was read from, and that recovery and
// replay of a log directory holding these bytes never throw or loop.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "fuzz_support.hpp"
#include "runtime/wal_payload.hpp"
#include "wal/frame.hpp"
#include "wal/segment_files.hpp"
#include "wal/write_ahead_log.hpp"

namespace {

namespace fs = std::filesystem;

void check_scan(std::string_view bytes) {
  const auto scan = nebula::wal::scan_frames(bytes);
  uint64_t covered = scan.damaged_bytes;
  size_t last_end = 0;
  for (const auto& f : scan.frames) {
    FUZZ_CHECK(f.offset >= last_end, "frames overlap");
    std::string again;
    nebula::wal::append_frame(again, f.type, f.lsn, f.payload);
    FUZZ_CHECK(bytes.substr(f.offset, again.size()) == again, "a good frame does not re-encode to its bytes");
    last_end = f.offset + again.size();
    covered += again.size();
    if (f.type == nebula::wal::FrameType::Records && f.payload.size() >= 4) {
      try {
        nebula::host::decode_wal_payload(f.payload.substr(4));
      } catch (const std::invalid_argument&) {
        // a payload we did not write: refused, never a crash
      }
    }
  }
  FUZZ_CHECK(covered == bytes.size(), "the scan lost track of some bytes");
}

void check_recovery(std::string_view bytes) {
  static const fs::path dir = fs::temp_directory_path() / ("nebula-fuzz-wal-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::ofstream(dir / nebula::wal::segment_name(1), std::ios::binary).write(bytes.data(), std::streamsize(bytes.size()));
  nebula::wal::WalOptions options;
  options.dir = dir;
  options.fsync = nebula::wal::FsyncPolicy::Interval;  // no fdatasync per input: keeps the fuzzer fast
  nebula::wal::WriteAheadLog log(options);
  uint64_t pending = 0;
  log.replay([&](uint64_t, uint32_t, std::string_view, bool is_pending) { pending += is_pending; });
  FUZZ_CHECK(log.recovery().next_lsn >= 1, "next lsn went to zero");
  const auto appended = log.append("x", 1);
  FUZZ_CHECK(appended.written && appended.lsn >= log.recovery().next_lsn, "append after recovery reused an lsn");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  check_scan(bytes);
  check_recovery(bytes);
  return 0;
}
