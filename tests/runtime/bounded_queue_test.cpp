#include "runtime/bounded_queue.hpp"

#include <gtest/gtest.h>

#include <string>
#include <thread>

using nebula::host::BoundedQueue;
using namespace std::chrono_literals;

TEST(BoundedQueue, TryPushAllIsAllOrNothing) {
  BoundedQueue<int> q(5);
  std::vector<int> three{1, 2, 3};
  ASSERT_TRUE(q.try_push_all(three));
  std::vector<int> three_more{4, 5, 6};
  EXPECT_FALSE(q.try_push_all(three_more));  // would exceed 5
  EXPECT_EQ(q.size(), 3u);
  std::vector<int> two{4, 5};
  EXPECT_TRUE(q.try_push_all(two));
  EXPECT_EQ(q.size(), 5u);
}

TEST(BoundedQueue, PopBatchReturnsAtTheSizeLimitWithoutWaiting) {
  BoundedQueue<int> q(100);
  std::vector<int> items(10);
  q.try_push_all(items);
  auto batch = q.pop_batch(4, 1h);  // an hour: returning proves the size trigger
  EXPECT_EQ(batch.size(), 4u);
  EXPECT_EQ(q.size(), 6u);
}

TEST(BoundedQueue, PopBatchReturnsAPartialBatchAfterTheWait) {
  BoundedQueue<int> q(100);
  std::vector<int> items{1, 2};
  q.try_push_all(items);
  auto started = std::chrono::steady_clock::now();
  auto batch = q.pop_batch(10, 30ms);
  EXPECT_EQ(batch.size(), 2u);
  EXPECT_GE(std::chrono::steady_clock::now() - started, 30ms);
}

TEST(BoundedQueue, PushForTimesOutWhenFullAndSucceedsOnceDrained) {
  BoundedQueue<int> q(1);
  ASSERT_TRUE(q.push_for(1, 0ms));
  EXPECT_FALSE(q.push_for(2, 10ms));
  std::thread consumer([&] { q.pop_batch(1, 0ms); });
  EXPECT_TRUE(q.push_for(3, 10s));
  consumer.join();
}

TEST(BoundedQueue, CloseWakesConsumersAndRefusesProducers) {
  BoundedQueue<int> q(4);
  std::thread consumer([&] { EXPECT_TRUE(q.pop_batch(4, 1h).empty()); });
  q.close();
  consumer.join();
  EXPECT_FALSE(q.push_for(1, 0ms));
}

TEST(BoundedQueue, PopBatchOnAnEmptyQueueReturnsAfterTheWait) {
  BoundedQueue<int> q(4);
  auto started = std::chrono::steady_clock::now();
  EXPECT_TRUE(q.pop_batch(4, 20ms).empty());  // idle consumers still get control back
  EXPECT_GE(std::chrono::steady_clock::now() - started, 20ms);
}


TEST(BoundedQueue, ConsumersWakeWhenTheirBatchIsFullEvenIfPushedInPieces) {
  // Pushes wake consumers only once one would return: each must still
  // return at its own size, whatever the other waits for.
  BoundedQueue<int> q(100);
  std::vector<int> small_batch, large_batch;
  // A lost wake-up would return fewer items after the wait.
  std::thread small([&] { small_batch = q.pop_batch(3, 20s); });
  std::thread large([&] { large_batch = q.pop_batch(50, 20s); });
  for (int i = 0; i < 53; ++i) {
    std::vector<int> one{i};
    ASSERT_TRUE(q.try_push_all(one));
  }
  small.join();
  large.join();
  EXPECT_EQ(small_batch.size(), 3u);
  EXPECT_EQ(large_batch.size(), 50u);
}

TEST(RingBuffer, KeepsOrderWhenItGrowsWhileWrappedAround) {
  nebula::host::RingBuffer<std::string> ring;
  int next_in = 0, next_out = 0;
  // Take some before adding more, so the items wrap around the end of the
  // slots when the buffer has to grow (16, 32, 64 slots).
  for (int round = 0; round < 40; ++round) {
    for (int i = 0; i < 3; ++i) ring.push_back("item " + std::to_string(next_in++));
    if (round % 2) {
      ASSERT_EQ(ring.take_front(), "item " + std::to_string(next_out++));
    }
  }
  EXPECT_EQ(ring.size(), size_t(next_in - next_out));
  while (!ring.empty()) ASSERT_EQ(ring.take_front(), "item " + std::to_string(next_out++));
  EXPECT_EQ(next_out, 120);
}
