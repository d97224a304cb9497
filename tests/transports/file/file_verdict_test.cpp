// What the tailer does with each host verdict.
#include "file_test_fixture.hpp"

namespace nebula::transport_test {
namespace {

TEST_F(FileTransportTest, RetryKeepsTheOffsetAndResubmitsTheSameLines) {
  const auto file = spool_ / "node.jsonl";
  const std::string text = spool_line("a", 1) + spool_line("a", 2);
  append(file, text);
  std::atomic<int> calls{0};
  std::vector<int64_t> offsets_seen_during_retry;  // only touched by the tailer thread, read after
  host_.on_submit([&](const std::string& fmt, const std::string& payload, const std::string& meta,
                      nebula_verdict* out) {
    log_.add(fmt, payload, meta);
    if (calls++ < 3) {
      offsets_seen_during_retry.push_back(persisted_offset(file));
      return fill_verdict(out, {NEBULA_RETRY, 0, 0, -1, 20, 503, ""});
    }
    return fill_verdict(out, {NEBULA_OK, 2, 0, 2, 0, 200, ""});
  });
  start_server();
  ASSERT_TRUE(wait_until([&] { return persisted_offset(file) == static_cast<int64_t>(text.size()); }));
  ASSERT_TRUE(wait_polls());

  auto subs = log_.all();
  ASSERT_EQ(subs.size(), 4u);  // three refusals, one acceptance, nothing after
  for (auto& s : subs) EXPECT_EQ(s.payload, text);
  for (int64_t off : offsets_seen_during_retry) EXPECT_LE(off, 0);  // not recorded or 0: never advanced
  for (size_t i = 1; i < subs.size(); ++i) EXPECT_GE(subs[i].at - subs[i - 1].at, std::chrono::milliseconds(20));
  EXPECT_EQ(host_.counter("retries"), 3.0);
}

TEST_F(FileTransportTest, StopWhileHostSaysRetryLosesNothing) {
  const auto file = spool_ / "node.jsonl";
  append(file, spool_line("a", 1));
  std::atomic<bool> full{true};
  host_.on_submit([&](const std::string& fmt, const std::string& payload, const std::string& meta,
                      nebula_verdict* out) {
    log_.add(fmt, payload, meta);
    if (full) return fill_verdict(out, {NEBULA_RETRY, 0, 0, -1, 60'000, 503, ""});
    return fill_verdict(out, {NEBULA_OK, 1, 0, 1, 0, 200, ""});
  });
  start_server();
  ASSERT_TRUE(wait_until([&] { return log_.size() == 1; }));
  server_.reset();  // must not wait out the minute-long retry pause
  EXPECT_LE(persisted_offset(file), 0);

  full = false;
  restart_server();
  ASSERT_TRUE(wait_until([&] { return persisted_offset(file) == static_cast<int64_t>(fs::file_size(file)); }));
  auto subs = log_.all();
  ASSERT_EQ(subs.size(), 2u);
  EXPECT_EQ(subs[1].payload, spool_line("a", 1));
}

TEST_F(FileTransportTest, InvalidLinesAreIsolatedSetAsideAndSkipped) {
  const auto file = spool_ / "node.jsonl";
  // The host refuses a whole payload if any line in it is bad.
  SubmissionLog accepted;
  host_.on_submit([&](const std::string& fmt, const std::string& payload, const std::string& meta,
                      nebula_verdict* out) {
    log_.add(fmt, payload, meta);
    if (payload.find("BAD") != std::string::npos)
      return fill_verdict(out, {NEBULA_INVALID, 0, 1, -1, 0, 400, R"({"errors":["line 1: not a record"]})"});
    accepted.add(fmt, payload, meta);
    return fill_verdict(out, {NEBULA_OK, static_cast<uint32_t>(lines_of(payload).size()), 0, -1, 0, 200, ""});
  });
  std::string text;
  for (int i = 0; i < 6; ++i) text += spool_line("a", i);
  text += "BAD line one\n";
  for (int i = 6; i < 9; ++i) text += spool_line("a", i);
  text += "BAD line two\n";
  append(file, text);
  start_server();
  ASSERT_TRUE(wait_until([&] { return persisted_offset(file) == static_cast<int64_t>(text.size()); }));

  std::vector<int> seqs;
  for (auto& s : accepted.all())
    for (auto& l : lines_of(s.payload)) seqs.push_back(nlohmann::json::parse(l)["seq"].get<int>());
  EXPECT_EQ(seqs, (std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7, 8}));  // every good line, once, in order

  auto rejected = rejected_entries();
  ASSERT_EQ(rejected.size(), 2u);
  EXPECT_EQ(rejected[0]["line"], "BAD line one");
  EXPECT_EQ(rejected[0]["path"], file.string());
  EXPECT_EQ(rejected[0]["offset"], text.find("BAD line one"));
  EXPECT_EQ(rejected[0]["reason"]["errors"][0], "line 1: not a record");
  EXPECT_EQ(rejected[1]["line"], "BAD line two");
  EXPECT_EQ(host_.counter("lines_rejected"), 2.0);
}

TEST_F(FileTransportTest, PartialAcceptanceAdvancesAndCountsRejectedRecords) {
  const auto file = spool_ / "node.jsonl";
  host_.on_submit([&](const std::string& fmt, const std::string& payload, const std::string& meta,
                      nebula_verdict* out) {
    log_.add(fmt, payload, meta);
    return fill_verdict(out, {NEBULA_OK, 1, 1, -1, 0, 200, ""});
  });
  append(file, spool_line("a", 1) + spool_line("a", 2));
  start_server();
  ASSERT_TRUE(wait_until([&] { return persisted_offset(file) == static_cast<int64_t>(fs::file_size(file)); }));
  EXPECT_EQ(log_.size(), 1u);
  EXPECT_EQ(host_.counter("records_rejected"), 1.0);
}

}  // namespace
}  // namespace nebula::transport_test
