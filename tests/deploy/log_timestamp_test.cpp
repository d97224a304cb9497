// Log lines of nebula-pool and nebula-node carry their local time with its
// UTC offset (#18), so logs of machines in different zones order correctly:
// each binary runs in a zone of its own (POSIX TZ strings, no tzdata needed)
// and every line it logs must name that zone's offset and, read with it, the
// moment the line was written.
#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>
#include <regex>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "nebula_test/child_process.hpp"
#include "nebula_test/free_port.hpp"
#include "nebula_test/temp_dir.hpp"
#include "nebula_test/wait.hpp"
#include "pool_harness.hpp"

namespace {

// "2026-12-06T20:45:57.819+05:30 info ..." : local time, offset, level.
const std::regex kLine(R"(^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)\.\d{3}([+-])(\d\d):(\d\d) (trace|debug|info|warning|error|critical) .+$)");

struct Checked {
  size_t lines = 0;
  std::string problems;
};

// Every non-empty line of `log` that is not a JSON document (nebula-node's
// result) must match kLine with `offset` ("+05:30"), and its time read with
// that offset must lie within [from, to] (epoch seconds).
Checked check_lines(const std::string& log, const std::string& offset, std::time_t from, std::time_t to) {
  Checked out;
  std::istringstream in(log);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '{') continue;
    ++out.lines;
    std::smatch m;
    if (!std::regex_match(line, m, kLine)) {
      out.problems += "not timestamped with an offset: " + line + "\n";
      continue;
    }
    if (std::string(m[7]) + std::string(m[8]) + ":" + std::string(m[9]) != offset) {
      out.problems += "offset is not " + offset + ": " + line + "\n";
      continue;
    }
    std::tm t{};
    t.tm_year = std::stoi(m[1]) - 1900;
    t.tm_mon = std::stoi(m[2]) - 1;
    t.tm_mday = std::stoi(m[3]);
    t.tm_hour = std::stoi(m[4]);
    t.tm_min = std::stoi(m[5]);
    t.tm_sec = std::stoi(m[6]);
    const int sign = m[7] == "+" ? 1 : -1;
    const std::time_t utc = ::timegm(&t) - sign * (std::stoi(m[8]) * 3600 + std::stoi(m[9]) * 60);
    if (utc < from - 1 || utc > to + 1)
      out.problems += "time read with its offset is not when it was written (" + std::to_string(utc) + " not in [" +
                      std::to_string(from) + ", " + std::to_string(to) + "]): " + line + "\n";
  }
  return out;
}

}  // namespace

TEST(LogTimestamps, PoolAndNodeLinesCarryTheirZonesUtcOffset) {
  const std::time_t began = std::time(nullptr);

  // The pool, five and a half hours east of UTC.
  ::setenv("TZ", "<+0530>-05:30", 1);
  PoolProcess pool("");
  pool.dir.write("pipeline.yaml", "plugins:\n  paths: [\"" NEBULA_PLUGIN_DIR "\"]\nstate_dir: state\nadmin: {port: 0}\n"
                                  "components:\n"
                                  "  - {id: http_in, plugin: nebula.transport.http, config: {address: 127.0.0.1, port: 0}}\n"
                                  "  - {id: stream, plugin: nebula.processor.data_stream, inputs: [http_in]}\n");
  ASSERT_TRUE(pool.start()) << pool.log();
  pool.process->signal(SIGTERM);
  ASSERT_EQ(pool.process->wait_exit(std::chrono::seconds(30)), std::optional<int>(0)) << pool.log();

  // nebula-node, three hours west, delivering to a port nothing listens on:
  // it logs the failed deliveries and what it keeps, then gives up. Its log
  // goes to stderr; stdout carries only its JSON summary (for pipes).
  nebula_test::TempDir node_dir("node-log");
  node_dir.write("client.json", R"({"shutdown_timeout_ms": 300, "backoff": {"initial_ms": 50, "max_ms": 100}})");
  const auto [code, node_stdout] = nebula_test::run_and_capture(
      "(TZ='<-0300>3' " NEBULA_NODE_BIN " simulate -N 1 --steps 1 --stats-every 0 --flush-timeout-ms 300 -e "
      "http://127.0.0.1:" + std::to_string(nebula_test::free_port()) + " --plugin-dir " NEBULA_PLUGIN_DIR " --config " +
      (node_dir / "client.json").string() + " --spill-dir " + (node_dir / "spill").string() + " 2>" +
      (node_dir / "node.log").string() + ")");
  EXPECT_NE(code, 0) << "nothing was delivered, so simulate reports failure";
  const auto summary = nlohmann::json::parse(node_stdout, nullptr, false);
  EXPECT_TRUE(summary.is_object() && summary["pending"] == 1) << "stdout is not only the summary:\n" << node_stdout;
  const std::time_t ended = std::time(nullptr);

  const Checked pool_lines = check_lines(pool.log(), "+05:30", began, ended);
  EXPECT_GE(pool_lines.lines, 3u) << pool.log();
  EXPECT_EQ(pool_lines.problems, "");
  const std::string node_log = nebula_test::read_file(node_dir / "node.log");
  const Checked node_lines = check_lines(node_log, "-03:00", began, ended);
  EXPECT_GE(node_lines.lines, 2u) << node_log;  // a failed delivery, the records kept on disk
  EXPECT_NE(node_log.find(" warning delivery failed"), std::string::npos) << node_log;
  EXPECT_EQ(node_lines.problems, "");
}
