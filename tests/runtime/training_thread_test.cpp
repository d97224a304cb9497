// Training threads run at training.priority, and so do the threads they start
// (libtorch starts its workers from the training thread), while every other
// thread keeps its priority: real threads, read back from /proc.
#include <gtest/gtest.h>
#include <sched.h>
#include <unistd.h>

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

}  // namespace

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
