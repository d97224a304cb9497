// Training threads run at training.priority, and so do the threads they start
// (libtorch starts its workers from the training thread), while every other
// thread keeps its priority: real threads, read back from /proc.
#include <gtest/gtest.h>
#include <sched.h>
#include <sys/resource.h>
#include <unistd.h>

#include <fstream>
#include <string>
#include <thread>

#include "nebula_test/thread_sched.hpp"
#include "nebula_test/wait.hpp"
#include "runtime/training_thread.hpp"
#include "runtime_harness.hpp"

using nebula::host::TrainingSettings;
using nebula_test::thread_sched;
using nebula_test::ThreadSched;

namespace {

struct Family {
  nebula::host::TrainingThreadState state;
  ThreadSched trainer, child;
};

// A thread becomes a training thread, then starts a child, as libtorch would.
Family train_on_a_thread(TrainingSettings::Priority priority) {
  Family f;
  std::thread([&] {
    f.state = nebula::host::become_training_thread("probe", priority);
    f.trainer = thread_sched(getpid(), gettid());
    std::thread([&] { f.child = thread_sched(getpid(), gettid()); }).join();
  }).join();
  return f;
}

// What the kernel will let a thread do to go back to nice 0 from SCHED_IDLE
// or nice 19: CAP_SYS_NICE in the effective set, or RLIMIT_NICE >= 20.
bool may_raise_priority() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);)
    if (line.rfind("CapEff:", 0) == 0 && (std::stoull(line.substr(7), nullptr, 16) >> 23 & 1)) return true;
  rlimit limit{};
  return getrlimit(RLIMIT_NICE, &limit) == 0 && limit.rlim_cur >= 20;
}

}  // namespace

// The drain at shutdown must not wait for spare CPU (the host waits for it):
// the thread goes back to the process's policy and nice, or says why not.
TEST(TrainingThread, TheDrainLeavesIdleAndNice19ForTheProcessPriorityOrSaysWhyNot) {
  const ThreadSched process = thread_sched(getpid(), gettid());
  for (auto priority : {TrainingSettings::Priority::Idle, TrainingSettings::Priority::Low}) {
    nebula::host::TrainingThreadState left;
    ThreadSched during, after;
    std::thread([&] {
      nebula::host::become_training_thread("probe", priority);
      during = thread_sched(getpid(), gettid());
      left = nebula::host::leave_training_priority();
      after = thread_sched(getpid(), gettid());
    }).join();
    EXPECT_TRUE(during.policy == SCHED_IDLE || during.nice == 19) << describe(during);
    if (may_raise_priority()) {
      EXPECT_EQ(left.error, "");
      EXPECT_EQ(left.priority, "normal");
      EXPECT_EQ(after.policy, process.policy) << describe(after);
      EXPECT_EQ(after.nice, process.nice) << describe(after);
    } else {
      EXPECT_NE(left.error, "") << "refused, and says so";
      EXPECT_EQ(after.policy, during.policy) << describe(after);
      EXPECT_EQ(after.nice, during.nice) << describe(after);
    }
  }
}

TEST(TrainingThread, IdleIsSchedIdleForTheThreadAndWhatItStarts) {
  const ThreadSched before = thread_sched(getpid(), gettid());
  Family f = train_on_a_thread(TrainingSettings::Priority::Idle);
  EXPECT_EQ(f.state.priority, "SCHED_IDLE");
  EXPECT_EQ(f.state.error, "");
  EXPECT_EQ(f.trainer.policy, SCHED_IDLE) << describe(f.trainer);
  EXPECT_EQ(f.child.policy, SCHED_IDLE) << describe(f.child);
  EXPECT_EQ(f.trainer.name, "train:probe");
  EXPECT_EQ(f.child.name, "train:probe");  // inherited: how libtorch's workers can be told apart
  const ThreadSched after = thread_sched(getpid(), gettid());
  EXPECT_EQ(after.policy, before.policy);
  EXPECT_EQ(after.nice, before.nice);
}

TEST(TrainingThread, LowIsNice19ForTheThreadAndWhatItStarts) {
  const ThreadSched before = thread_sched(getpid(), gettid());
  Family f = train_on_a_thread(TrainingSettings::Priority::Low);
  EXPECT_EQ(f.state.priority, "nice 19");
  EXPECT_EQ(f.trainer.policy, SCHED_OTHER);
  EXPECT_EQ(f.trainer.nice, 19);
  EXPECT_EQ(f.child.nice, 19);
  EXPECT_EQ(thread_sched(getpid(), gettid()).nice, before.nice);
}

TEST(TrainingThread, NormalLeavesThePriorityAlone) {
  const ThreadSched before = thread_sched(getpid(), gettid());
  Family f = train_on_a_thread(TrainingSettings::Priority::Normal);
  EXPECT_EQ(f.state.priority, "normal");
  EXPECT_EQ(f.trainer.policy, before.policy);
  EXPECT_EQ(f.trainer.nice, before.nice);
  EXPECT_EQ(f.child.nice, before.nice);
}

TEST(TrainingThread, OnlyTheAgentsTrainingThreadIsIdleInARunningPool) {
  const ThreadSched main_thread = thread_sched(getpid(), gettid());
  RuntimeHarness h("pool: {batch_max_records: 5, batch_max_wait_ms: 20}\n"
                   "training: {priority: idle, batch_max_insights: 2, batch_max_wait_ms: 50}",
                   "  - id: feed\n    plugin: nebula.test.fake_transport\n    config:\n      repeat: 10\n"
                   "      payload: " + batch_payload("n1", 5) + "\n"
                   "  - {id: count, plugin: nebula.test.counting, inputs: [feed]}\n"
                   "  - {id: agent, plugin: nebula.test.recording_agent, inputs: [count]}\n");
  h.start();
  auto* agent = h.runtime->agent("agent");
  ASSERT_NE(agent, nullptr);
  ASSERT_TRUE(nebula_test::wait_until([&] { return agent->describe()["batches"].get<int>() >= 1; }));
  EXPECT_EQ(agent->describe()["training_priority"], "SCHED_IDLE");
  int trainers = 0;
  for (const ThreadSched& t : nebula_test::threads_of(getpid())) {
    if (t.name == "train:agent") {
      ++trainers;
      EXPECT_EQ(t.policy, SCHED_IDLE) << describe(t);
      continue;
    }
    // Dispatcher, stage pool, timers, the transport: ingest keeps its priority.
    EXPECT_EQ(t.policy, main_thread.policy) << describe(t);
    EXPECT_EQ(t.nice, main_thread.nice) << describe(t);
  }
  EXPECT_EQ(trainers, 1);
  h.runtime->shutdown();
}
