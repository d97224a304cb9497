#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <fstream>
#include <thread>

#include "nebula_test/temp_dir.hpp"
#include "wal/frame.hpp"
#include "wal/segment_files.hpp"
#include "wal/write_ahead_log.hpp"

namespace nebula::wal {
namespace {

struct Replayed {
  uint64_t first;
  uint32_t count;
  std::string payload;
  bool pending;
};

std::vector<Replayed> replay_all(WriteAheadLog& log) {
  std::vector<Replayed> out;
  log.replay([&](uint64_t first, uint32_t count, std::string_view payload, bool pending) {
    out.push_back({first, count, std::string(payload), pending});
  });
  return out;
}

WalOptions options(const std::filesystem::path& dir, uint64_t segment_bytes = 1 << 20) {
  WalOptions o;
  o.dir = dir;
  o.segment_bytes = segment_bytes;
  return o;
}

TEST(WriteAheadLog, AppendedRecordsAreReplayedAfterReopen) {
  nebula_test::TempDir dir("wal");
  {
    WriteAheadLog log(options(dir.path()));
    auto a = log.append("payload-a", 3);
    ASSERT_TRUE(a.ok()) << a.error;
    EXPECT_EQ(a.lsn, 1u);
    EXPECT_EQ(a.last_lsn, 3u);
    EXPECT_EQ(log.sync_to(a.last_lsn), "");
    auto b = log.append("payload-b", 2);
    EXPECT_EQ(b.lsn, 4u);
  }
  WriteAheadLog log(options(dir.path()));
  EXPECT_EQ(log.recovery().pending_records, 5u);
  EXPECT_EQ(log.recovery().next_lsn, 6u);
  auto frames = replay_all(log);
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_EQ(frames[0].payload, "payload-a");
  EXPECT_EQ(frames[1].first, 4u);
  EXPECT_TRUE(frames[1].pending);
}

TEST(WriteAheadLog, CommittedRecordsAreNotPendingAndPartialFramesAre) {
  nebula_test::TempDir dir("wal");
  {
    WriteAheadLog log(options(dir.path()));
    log.append("a", 5);  // lsn 1..5
    log.append("b", 5);  // lsn 6..10
    log.commit(7);
  }
  WriteAheadLog log(options(dir.path()));
  EXPECT_EQ(log.recovery().watermark, 7u);
  EXPECT_EQ(log.recovery().pending_records, 3u);
  auto frames = replay_all(log);
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_FALSE(frames[0].pending);
  EXPECT_TRUE(frames[1].pending);
}

TEST(WriteAheadLog, SegmentsRollOverAndAreDeletedOnceCommitted) {
  nebula_test::TempDir dir("wal");
  uint64_t last = 0;
  {
    WriteAheadLog log(options(dir.path(), 256));
    for (int i = 0; i < 40; ++i) last = log.append(std::string(100, 'x'), 1).last_lsn;
    EXPECT_GT(list_segments(dir.path()).size(), 10u);
    int before_delete_calls = 0;
    EXPECT_GT(log.commit(last, [&] { ++before_delete_calls; }), 10u);
    EXPECT_EQ(before_delete_calls, 1);
    EXPECT_EQ(list_segments(dir.path()).size(), 1u);
  }
  // Every record segment is gone, yet the next lsn and the watermark survive.
  WriteAheadLog log(options(dir.path()));
  EXPECT_EQ(log.recovery().pending_records, 0u);
  EXPECT_EQ(log.recovery().next_lsn, last + 1);
  EXPECT_EQ(log.append("next", 1).lsn, last + 1);
}

TEST(WriteAheadLog, FlippedByteLosesOnlyTheDamagedFrame) {
  nebula_test::TempDir dir("wal");
  {
    WriteAheadLog log(options(dir.path()));
    for (int i = 0; i < 5; ++i) log.append("record-" + std::to_string(i), 1);
  }
  auto segments = list_segments(dir.path());
  ASSERT_EQ(segments.size(), 1u);
  {
    std::fstream f(segments[0], std::ios::in | std::ios::out | std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(f)), {});
    const size_t at = bytes.find("record-2");
    ASSERT_NE(at, std::string::npos);
    f.seekp(static_cast<std::streamoff>(at + 2));
    f.put('X');
  }
  WriteAheadLog log(options(dir.path()));
  EXPECT_EQ(log.recovery().damaged_regions, 1u);
  EXPECT_EQ(log.recovery().pending_records, 4u);
  auto frames = replay_all(log);
  ASSERT_EQ(frames.size(), 4u);
  EXPECT_EQ(frames[2].payload, "record-3");
  EXPECT_EQ(log.append("after", 1).lsn, 6u);  // lsns never go back
}

TEST(WriteAheadLog, TornLastWriteIsSkipped) {
  nebula_test::TempDir dir("wal");
  {
    WriteAheadLog log(options(dir.path()));
    log.append("kept", 1);
    log.append("torn", 1);
  }
  auto segment = list_segments(dir.path()).at(0);
  std::filesystem::resize_file(segment, std::filesystem::file_size(segment) - 3);
  WriteAheadLog log(options(dir.path()));
  EXPECT_EQ(log.recovery().damaged_regions, 1u);
  auto frames = replay_all(log);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0].payload, "kept");
}

TEST(WriteAheadLog, FullLogRefusesWithoutWritingAndRecoversAfterCommit) {
  nebula_test::TempDir dir("wal");
  WalOptions o = options(dir.path(), 300);
  o.max_bytes = 1000;
  WriteAheadLog log(o);
  uint64_t last = 0;
  Appended refused;
  for (int i = 0; i < 50; ++i) {
    Appended a = log.append(std::string(100, 'y'), 1);
    if (!a.written) {
      refused = a;
      break;
    }
    last = a.last_lsn;
  }
  EXPECT_FALSE(refused.written);
  EXPECT_NE(refused.error.find("full"), std::string::npos) << refused.error;
  EXPECT_LE(log.stats().bytes, 1000u);
  log.commit(last);
  EXPECT_TRUE(log.append(std::string(100, 'z'), 1).ok());
}

TEST(WriteAheadLog, ConcurrentAppendsAreAllDurableWithGroupCommit) {
  nebula_test::TempDir dir("wal");
  {
    WriteAheadLog log(options(dir.path()));
    std::vector<std::thread> writers;
    for (int t = 0; t < 4; ++t)
      writers.emplace_back([&] {
        for (int i = 0; i < 50; ++i) {
          Appended a = log.append("w", 1);
          ASSERT_TRUE(a.ok());
          ASSERT_EQ(log.sync_to(a.last_lsn), "");
        }
      });
    for (auto& w : writers) w.join();
    EXPECT_EQ(log.stats().durable_lsn, 200u);
    EXPECT_LE(log.stats().fsyncs, 200u);
  }
  WriteAheadLog log(options(dir.path()));
  EXPECT_EQ(log.recovery().pending_records, 200u);
}

TEST(WriteAheadLog, IntervalPolicySyncsInTheBackground) {
  nebula_test::TempDir dir("wal");
  WalOptions o = options(dir.path());
  o.fsync = FsyncPolicy::Interval;
  o.interval = std::chrono::milliseconds(5);
  WriteAheadLog log(o);
  const uint64_t lsn = log.append("x", 1).last_lsn;
  EXPECT_EQ(log.sync_to(lsn), "");  // does not wait
  for (int i = 0; i < 2000 && log.stats().durable_lsn < lsn; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  EXPECT_EQ(log.stats().durable_lsn, lsn);
}

// A real write error (the file size limit, as a full disk would) refuses
// the append and leaves no partial frame behind. In a child: the limit and
// the ignored SIGXFSZ are process-wide.
TEST(WriteAheadLog, WriteErrorRefusesAndLeavesNoPartialFrame) {
  nebula_test::TempDir dir("wal");
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    std::signal(SIGXFSZ, SIG_IGN);
    rlimit limit{4096, 4096};
    ::setrlimit(RLIMIT_FSIZE, &limit);
    int code = 10;
    {
      WriteAheadLog log(options(dir.path()));
      for (int i = 0; i < 100; ++i) {
        Appended a = log.append(std::string(1000, 'q'), 1);
        if (!a.written) {
          code = a.error.find("write failed") != std::string::npos ? 0 : 11;
          break;
        }
      }
    }
    std::_Exit(code);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_EQ(WEXITSTATUS(status), 0);
  WriteAheadLog log(options(dir.path()));
  EXPECT_EQ(log.recovery().damaged_regions, 0u);
  EXPECT_EQ(log.recovery().pending_records, 3u);  // 3 frames of ~1 KiB fit in 4 KiB
}

}  // namespace
}  // namespace nebula::wal
