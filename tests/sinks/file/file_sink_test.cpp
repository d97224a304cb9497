// The file sink writes what it is given as JSON lines, says NEBULA_IO when it
// cannot, never leaves a torn line behind, and appends across restarts.
#include <signal.h>
#include <sys/resource.h>

#include "file_sink_fixture.hpp"

namespace nebula::sink_file_test {
namespace {

TEST_F(FileSinkTest, WritesEveryInsightAsOneParseableLine) {
  auto sink = make(config());
  const std::string pretty = "{\n  \"kind\": \"stall\",\n  \"chain_id\": \"main\"\n}";
  ASSERT_EQ(sink.deliver({{"patterns", pretty}, numbered(2)}, "pattern-1"), NEBULA_OK) << sink.last_error();

  const auto lines = lines_of(out());
  ASSERT_EQ(lines.size(), 2u);
  const auto first = nlohmann::json::parse(lines[0]);
  EXPECT_EQ(first["topic"], "patterns");
  EXPECT_EQ(first["source"], "pattern-1");
  EXPECT_GT(first["timestamp"].get<double>(), 1.6e9);
  EXPECT_EQ(first["insight"], nlohmann::json::parse(pretty));
  EXPECT_EQ(nlohmann::json::parse(lines[1])["insight"]["n"], 2);
  EXPECT_EQ(host_.counter("insights_delivered"), 2.0);
  EXPECT_EQ(sink.sink_flush(), NEBULA_OK) << sink.last_error();
}

TEST_F(FileSinkTest, RelativePathLivesInTheStateDirectory) {
  auto sink = make({{"path", "history/insights.jsonl"}});
  ASSERT_EQ(sink.deliver({numbered(1)}), NEBULA_OK) << sink.last_error();
  EXPECT_EQ(numbers_in(host_.state_dir() / "history" / "insights.jsonl"), std::vector<int>{1});
}

TEST_F(FileSinkTest, ReopenedSinkAppendsToTheSameFile) {
  {
    auto sink = make(config());
    ASSERT_EQ(sink.deliver({numbered(1), numbered(2)}), NEBULA_OK) << sink.last_error();
  }
  auto again = make(config());
  ASSERT_EQ(again.deliver({numbered(3)}), NEBULA_OK) << again.last_error();
  EXPECT_EQ(numbers_in(out()), (std::vector<int>{1, 2, 3}));
}

TEST_F(FileSinkTest, UnwritablePathIsAnIoError) {
  dir_.write("plain-file", "not a directory\n");
  auto sink = make({{"path", (dir_ / "plain-file" / "insights.jsonl").string()}});
  EXPECT_EQ(sink.deliver({numbered(1)}), NEBULA_IO);
  EXPECT_NE(std::string(sink.last_error()).find("plain-file"), std::string::npos) << sink.last_error();
  EXPECT_EQ(host_.counter("insights_failed"), 1.0);
  EXPECT_EQ(host_.counter("insights_delivered"), 0.0);
}

TEST_F(FileSinkTest, InsightThatIsNotJsonIsInvalidAndWritesNothing) {
  auto sink = make(config());
  EXPECT_EQ(sink.deliver({numbered(1), {"patterns", "{not json"}}), NEBULA_INVALID);
  EXPECT_NE(std::string(sink.last_error()).find("not a JSON document"), std::string::npos) << sink.last_error();
  EXPECT_FALSE(fs::exists(out()) && fs::file_size(out()) > 0);
}

// RLIMIT_FSIZE makes the kernel cut a write() short at the limit, as a full
// disk would: the sink must take the partial batch back, and the host's
// redelivery must then leave every line in the file exactly once.
TEST_F(FileSinkTest, FailedWriteLeavesNoTornLineAndRedeliveryWritesOnce) {
  auto sink = make(config());
  ASSERT_EQ(sink.deliver({numbered(1)}), NEBULA_OK) << sink.last_error();
  const auto before = fs::file_size(out());

  rlimit saved{};
  ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &saved), 0);
  auto* previous = ::signal(SIGXFSZ, SIG_IGN);
  rlimit tight = saved;
  tight.rlim_cur = before + 100;
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &tight), 0);
  const nebula_status failed = sink.deliver({numbered(2, 200), numbered(3, 200)});
  const auto after_failure = fs::file_size(out());
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &saved), 0);
  ::signal(SIGXFSZ, previous);

  EXPECT_EQ(failed, NEBULA_IO);
  EXPECT_EQ(after_failure, before);
  ASSERT_EQ(sink.deliver({numbered(2, 200), numbered(3, 200)}), NEBULA_OK) << sink.last_error();
  EXPECT_EQ(numbers_in(out()), (std::vector<int>{1, 2, 3}));
}

TEST_F(FileSinkTest, TornLastLineFromACrashIsCutOffOnOpen) {
  dir_.write("insights.jsonl", R"({"topic":"patterns","insight":{"n":1}})" "\n" R"({"topic":"patt)");
  auto sink = make(config());
  ASSERT_EQ(sink.deliver({numbered(2)}), NEBULA_OK) << sink.last_error();
  EXPECT_EQ(numbers_in(out()), (std::vector<int>{1, 2}));
  bool warned = false;
  for (const auto& line : host_.logs()) warned = warned || line.message.find("torn last line") != std::string::npos;
  EXPECT_TRUE(warned);
}

TEST_F(FileSinkTest, BadConfigIsRefusedAtItsKey) {
  struct Case {
    nlohmann::json cfg;
    std::string expected;
  };
  const std::vector<Case> cases{
      {nlohmann::json::object(), "/path: required"},
      {{{"path", ""}}, "/path: must not be empty"},
      {{{"path", "dir/"}}, "/path: names a directory"},
      {{{"path", "a.jsonl"}, {"max_bytes", 10}}, "/max_bytes: must be between 1024"},
      {{{"path", "a.jsonl"}, {"max_files", 2.5}}, "/max_files: must be a whole number"},
      {{{"path", "a.jsonl"}, {"fsync", "yes"}}, "/fsync: must be true or false"},
      {{{"path", "a.jsonl"}, {"max_size", 1}}, "/max_size: unknown key"},
  };
  for (const auto& c : cases) {
    char err[NEBULA_ERROR_CAP] = {0};
    EXPECT_EQ(file_sink()->validate_config(c.cfg.dump().c_str(), err, sizeof err), NEBULA_INVALID) << c.cfg.dump();
    EXPECT_NE(std::string(err).find(c.expected), std::string::npos) << c.cfg.dump() << " -> " << err;
  }
}

}  // namespace
}  // namespace nebula::sink_file_test
