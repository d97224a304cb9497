// `nebula-pool test -c pipeline.yaml tests.yaml...`: pipeline unit tests on
// the real plugins. Exit 0 when every test passes, 1 when one fails, 2 when
// a file is unusable (its problems printed as file:line:col).
#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <iostream>

#include "app/commands.hpp"
#include "app/pipeline_loader.hpp"
#include "app/pipeline_test_feed.hpp"
#include "app/pipeline_test_runner.hpp"
#include "app/pipeline_test_spec.hpp"

namespace nebula::host {
namespace {

std::string plural(size_t n, const char* word) { return std::to_string(n) + " " + word + (n == 1 ? "" : "s"); }

void print_outcome(const PipelineTest& test, const TestOutcome& outcome) {
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.1f s", outcome.seconds);
  std::cout << "  " << (outcome.passed ? "PASS" : "FAIL") << "  " << test.name << "  (" << plural(outcome.payloads, "payload")
            << ", " << plural(outcome.records, "record") << ", " << plural(outcome.insights, "insight") << ", "
            << seconds << ")\n";
  for (const auto& problem : outcome.problems) std::cout << "        " << problem << "\n";
  for (const auto& f : outcome.failed) {
    const Condition& c = *f.condition;
    std::string label = "expect[" + std::to_string(f.index) + "]";
    if (!c.name.empty()) label += " '" + c.name + "'";
    std::cout << "        " << ConfigIssue{c.mark, label + " failed: " + c.describe()}.format() << "\n"
              << "          seen: " << f.seen << "\n";
  }
}

}  // namespace

static int pipeline_test_command(const std::string& config_path, const std::vector<std::string>& test_files,
                          const std::string& only, bool verbose) {
  spdlog::set_level(verbose ? spdlog::level::info : spdlog::level::warn);
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %^%l%$ %v");
  LoadedPipeline pipeline;
  load_pipeline(config_path, pipeline);
  if (report_problems(pipeline, verbose)) {
    std::cerr << config_path << ": invalid pipeline; no test run\n";
    return 2;
  }
  pipeline.registry.add_builtin(feed_plugin(), "(built into nebula-pool)");

  std::vector<ConfigIssue> issues;
  std::vector<std::pair<std::string, std::vector<PipelineTest>>> files;
  for (const auto& path : test_files) {
    auto tests = parse_pipeline_tests(path, issues);
    check_tests_against(tests, pipeline, issues);
    files.emplace_back(path, std::move(tests));
  }
  if (!issues.empty()) {
    for (const auto& issue : issues) std::cerr << issue.format() << "\n";
    std::cerr << plural(issues.size(), "problem") << " in the test files; no test run\n";
    return 2;
  }

  size_t run = 0, failed = 0;
  for (const auto& [path, tests] : files) {
    std::cout << path << "\n";
    for (const auto& test : tests) {
      if (!only.empty() && test.name.find(only) == std::string::npos) continue;
      const TestOutcome outcome = run_pipeline_test(test, pipeline.config, pipeline.registry);
      print_outcome(test, outcome);
      std::cout.flush();
      ++run;
      if (!outcome.passed) ++failed;
    }
  }
  if (run == 0) {
    std::cerr << "no test named like '" << only << "'\n";
    return 2;
  }
  std::cout << plural(run, "test") << ": " << run - failed << " passed, " << failed << " failed\n";
  return failed ? 1 : 0;
}

}  // namespace nebula::host

namespace nebula::host {

OperatorTool add_test_command(CLI::App& app) {
  struct Options {
    std::string config, only;
    std::vector<std::string> files;
    bool verbose = false;
  };
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("test", "Run pipeline unit tests (YAML) on the real plugins; exit 0 when all pass");
  cmd->add_option("-c,--config", o->config, "Pipeline YAML file")->required()->check(CLI::ExistingFile);
  cmd->add_option("tests", o->files, "Test files (config/tests/*.yaml)")->required()->check(CLI::ExistingFile);
  cmd->add_option("-k,--only", o->only, "Run only the tests whose name contains this text");
  cmd->add_flag("-v,--verbose", o->verbose, "Show the pool's log (info) and plugin load warnings");
  return {cmd, [o] { return pipeline_test_command(o->config, o->files, o->only, o->verbose); }};
}

}  // namespace nebula::host
