// Checks every agent plugin must pass, run against the real .so through the
// SDK's MockHost: checkpoint round trip, damaged checkpoints, architecture
// optimisation with promotion only on better validation loss, rollback.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include <nebula/testing/mock_host.hpp>
#include <nlohmann/json.hpp>

#include "fleet_feed.hpp"

namespace nebula::agents::testing {

using nebula::testing::EmittedInsight;
using nebula::testing::Instance;

// Batches of at most `per_batch` insights, as the host's training queue hands them out.
inline std::vector<std::vector<EmittedInsight>> simulate_batches(uint64_t seed, int steps,
                                                                 std::initializer_list<const char*> topics,
                                                                 size_t per_batch = 20) {
  FleetFeed feed(small_fleet(seed));
  std::vector<std::vector<EmittedInsight>> batches(1);
  for (int i = 0; i < steps; ++i)
    for (auto& [topic, doc] : only(feed.step(), topics)) {
      if (batches.back().size() == per_batch) batches.emplace_back();
      batches.back().push_back({topic, doc.dump()});
    }
  return batches;
}

inline double val_loss(Instance& inst) {
  const auto s = inst.stats();
  return s.at("val_loss").is_number() ? s["val_loss"].get<double>() : -1.0;
}

inline void learn_all(Instance& inst, const std::vector<std::vector<EmittedInsight>>& batches, size_t from = 0,
                      size_t to = SIZE_MAX) {
  for (size_t i = from; i < std::min(to, batches.size()); ++i)
    ASSERT_EQ(inst.learn(batches[i]), NEBULA_OK) << inst.last_error();
}

// The `learning` documents of `steps` fleet steps of another simulated fleet:
// a fixed evaluation set ({"action":"evaluate","insights":[...]}).
inline nlohmann::json evaluation_docs(uint64_t seed, int steps) {
  FleetFeed feed(small_fleet(seed));
  nlohmann::json docs = nlohmann::json::array();
  for (int i = 0; i < steps; ++i)
    for (auto& [topic, doc] : only(feed.step(), {"learning"})) docs.push_back(std::move(doc));
  return docs;
}

inline double evaluate(Instance& inst, const nlohmann::json& docs) {
  const auto answer = inst.query({{"action", "evaluate"}, {"insights", docs}});
  EXPECT_GT(answer["examples"].get<int>(), 0) << answer.dump();
  return answer["loss"].get<double>();
}

// save -> new instance -> load: same version, step count and lineage, and
// the same loss on a fixed evaluation set (not back at the untrained level).
// The evaluation set is the `learning` part of the last batch, which the
// trained agent never learns from (agents with per-node baselines must be
// evaluated on the fleet they know).
inline void check_checkpoint_round_trip(const nebula_plugin_descriptor* desc, const std::string& config,
                                        const std::vector<std::vector<EmittedInsight>>& batches,
                                        double untrained_margin) {
  nlohmann::json eval_docs = nlohmann::json::array();
  for (const auto& in : batches.back())
    if (in.topic == "learning") eval_docs.push_back(nlohmann::json::parse(in.json));
  nebula::testing::MockHost host;
  auto trained = host.create(desc, config);
  learn_all(trained, batches, 0, batches.size() - 1);
  const auto before = trained.stats();
  const double loss_before = evaluate(trained, eval_docs);
  const std::string bytes = trained.save();
  ASSERT_GT(bytes.size(), 64u);

  auto restored = host.create(desc, config);
  ASSERT_EQ(restored.load(bytes), NEBULA_OK) << restored.last_error();
  const auto after = restored.stats();
  EXPECT_EQ(after["version"], before["version"]);
  EXPECT_EQ(after["steps"], before["steps"]);
  EXPECT_EQ(after["samples_seen"], before["samples_seen"]);
  EXPECT_EQ(after["lineage"], before["lineage"]);
  ASSERT_TRUE(after["val_loss"].is_number());
  EXPECT_NEAR(after["val_loss"].get<double>(), before["val_loss"].get<double>(), 1e-6);
  const double loss_after = evaluate(restored, eval_docs);
  EXPECT_NEAR(loss_after, loss_before, 1e-6 + 1e-6 * loss_before);

  // An agent that has seen only the first batch is the "untrained" level.
  auto fresh = host.create(desc, config);
  learn_all(fresh, batches, 0, 1);
  const double loss_fresh = evaluate(fresh, eval_docs);
  std::printf("round trip: checkpoint %zu bytes; eval loss trained %.4f, restored %.4f, after one batch %.4f\n",
              bytes.size(), loss_before, loss_after, loss_fresh);
  EXPECT_LT(loss_after, untrained_margin * loss_fresh);
  // And the restored agent keeps learning.
  EXPECT_EQ(restored.learn(batches.back()), NEBULA_OK) << restored.last_error();
  EXPECT_GT(restored.stats()["steps"].get<int>(), before["steps"].get<int>());
}

// Truncated and bit-flipped checkpoints are refused with NEBULA_INVALID and
// a message; the instance keeps working.
inline void check_damaged_checkpoints(const nebula_plugin_descriptor* desc, const std::string& config,
                                      const std::vector<std::vector<EmittedInsight>>& batches,
                                      const nlohmann::json& query) {
  nebula::testing::MockHost host;
  auto source = host.create(desc, config);
  learn_all(source, batches, 0, 3);
  const std::string good = source.save();

  std::vector<std::pair<std::string, std::string>> damaged = {
      {"empty", ""},
      {"truncated to half", good.substr(0, good.size() / 2)},
      {"truncated by one byte", good.substr(0, good.size() - 1)},
      {"header only", good.substr(0, 16)},
      {"not a checkpoint", std::string("{\"batches\": 3}")},
  };
  for (size_t pos : {size_t{3}, size_t{10}, size_t{30}, good.size() / 3, good.size() / 2, good.size() - 5}) {
    std::string flipped = good;
    flipped[pos] = static_cast<char>(flipped[pos] ^ 0x10);
    damaged.emplace_back("byte " + std::to_string(pos) + " flipped", flipped);
  }
  for (const auto& [what, bytes] : damaged) {
    auto inst = host.create(desc, config);
    learn_all(inst, batches, 0, 1);
    const auto steps_before = inst.stats()["steps"];
    EXPECT_EQ(inst.load(bytes), NEBULA_INVALID) << what;
    EXPECT_GT(std::string(inst.last_error()).size(), 10u) << what;
    EXPECT_EQ(inst.stats()["steps"], steps_before) << what << ": a refused load must change nothing";
    EXPECT_EQ(inst.learn(batches[1]), NEBULA_OK) << what << ": " << inst.last_error();
    EXPECT_NO_THROW(inst.query(query)) << what;
    EXPECT_NO_THROW(inst.query(nlohmann::json::object())) << what;
  }
  auto ok = host.create(desc, config);
  EXPECT_EQ(ok.load(good), NEBULA_OK) << ok.last_error();
}

// A deliberately poor start (tiny network, tiny learning rate) with frequent
// optimisation: every promotion must have beaten its parent's validation loss
// by the margin; a huge margin promotes nothing; rollback restores version 1.
inline void check_optimisation_and_rollback(const nebula_plugin_descriptor* desc, nlohmann::json config,
                                            const std::vector<std::vector<EmittedInsight>>& batches) {
  nebula::testing::MockHost host;
  config["hidden"] = {4};
  config["learning_rate"] = 3e-4;
  config["optimise_every"] = 60;
  config["promote_margin"] = 0.05;
  auto inst = host.create(desc, config.dump());
  learn_all(inst, batches, 0, batches.size());
  const auto s = inst.stats();
  const auto& opt = s["optimisation"];
  ASSERT_GE(opt["runs"].get<int>(), 2) << s.dump();
  ASSERT_GE(opt["promotions"].get<int>(), 1) << s.dump();
  EXPECT_GT(s["version"].get<int>(), 1);
  const auto& lineage = s["lineage"];
  ASSERT_GE(lineage.size(), 2u);
  EXPECT_EQ(lineage[0]["origin"], "initial");
  for (size_t i = 1; i < lineage.size(); ++i) {
    ASSERT_TRUE(lineage[i]["val_loss"].is_number());
    ASSERT_TRUE(lineage[i]["parent"].is_number_integer());
    // Promoted only because it beat the model it replaced, on the same validation data.
    EXPECT_LT(lineage[i]["val_loss"].get<double>(), lineage[i]["parent_val_loss"].get<double>() * (1 - 0.05));
  }
  // The report of the last search shows the rule at work.
  const auto& last = opt["last"];
  ASSERT_TRUE(last.is_object());
  double best = 1e300;
  for (const auto& c : last["candidates"]) best = std::min(best, c["val_loss"].get<double>());
  const double current = last["current_val_loss"].get<double>();
  if (last["promoted"].is_null()) EXPECT_GE(best, current * (1 - 0.05));
  else EXPECT_LT(best, current * (1 - 0.05));

  // Rollback to the oldest kept version: its architecture and learning rate come back.
  const int target = s["kept_versions"][0].get<int>();
  ASSERT_NE(target, s["version"].get<int>());
  nlohmann::json entry;
  for (const auto& v : lineage)
    if (v["version"] == target) entry = v;
  ASSERT_TRUE(entry.is_object());
  const auto answer = inst.query({{"action", "rollback"}, {"version", target}});
  EXPECT_EQ(answer["version"], target);
  const auto back = inst.stats();
  EXPECT_EQ(back["version"], target);
  EXPECT_EQ(back["architecture"]["hidden"], entry["architecture"]["hidden"]);
  EXPECT_DOUBLE_EQ(back["learning_rate"].get<double>(), entry["learning_rate"].get<double>());
  EXPECT_THROW(inst.query({{"action", "rollback"}, {"version", 999}}), std::runtime_error);
  // Learning continues from the restored version; the next promotion gets a new number.
  EXPECT_EQ(inst.learn(batches.back()), NEBULA_OK) << inst.last_error();

  // A margin nothing can meet: searches run, nothing is promoted.
  config["promote_margin"] = 0.99;
  auto strict = host.create(desc, config.dump());
  learn_all(strict, batches, 0, batches.size());
  const auto st = strict.stats();
  EXPECT_GE(st["optimisation"]["runs"].get<int>(), 2);
  EXPECT_EQ(st["optimisation"]["promotions"], 0);
  EXPECT_EQ(st["version"], 1);
}

// query() and stats() from an admin thread while the training thread learns:
// every answer must be well-formed (run under TSan to check the locking).
inline void check_concurrent_queries(const nebula_plugin_descriptor* desc,
                                     const std::vector<std::vector<EmittedInsight>>& batches) {
  nebula::testing::MockHost host;
  auto inst = host.create(desc, "{}");
  learn_all(inst, batches, 0, 2);
  std::atomic<bool> done{false};
  std::atomic<int> answers{0}, failures{0};
  std::thread admin([&] {
    while (!done.load()) {
      try {
        const auto q = inst.query(nlohmann::json::object());
        const auto s = inst.stats();
        if (!q.is_object() || !s.contains("steps")) ++failures;
        ++answers;
      } catch (...) {
        ++failures;
      }
    }
  });
  learn_all(inst, batches, 2, std::min<size_t>(batches.size(), 12));
  done = true;
  admin.join();
  EXPECT_GT(answers.load(), 0);
  EXPECT_EQ(failures.load(), 0);
}

}  // namespace nebula::agents::testing
