#include "pipeline_replay.hpp"

#include <algorithm>
#include <memory>
#include <stdexcept>

#include "plugin_run.hpp"  // tests/processors/support: a real plugin on its own mock host

namespace same_answers {
namespace {

class Pipeline {
 public:
  explicit Pipeline(const std::vector<WiredProcessor>& wiring) {
    for (const auto& w : wiring) {
      nodes_.push_back(Node{&w, std::make_unique<PluginRun>(library_of(w), w.plugin), {}});
      last_stage_ = std::max(last_stage_, w.stage);
    }
  }

  void cycle(const nebula::OwnedBatch* batch) {
    for (int stage = 0; stage <= last_stage_; ++stage)
      for (auto& n : nodes_) {
        if (n.wired->stage != stage) continue;
        if (batch && n.wired->reads_records) {
          check(n, n.run->instance().feed(*batch), "process_records");
          collect(n);
        }
        std::vector<EmittedInsight> inbox;
        inbox.swap(n.inbox);
        for (const auto& in : inbox) {
          check(n, n.run->instance().feed_insight(in.topic, in.json, in.processor), "process_insight");
          collect(n);
        }
        if ((batch && n.wired->reads_records) || !inbox.empty()) {  // Runtime::run_processor
          check(n, n.run->instance().end_cycle(), "end_cycle");
          collect(n);
        }
      }
  }

  void flush() {
    for (int stage = 0; stage <= last_stage_; ++stage) {
      for (auto& n : nodes_) {
        if (n.wired->stage != stage) continue;
        check(n, n.run->instance().flush(), "flush");
        collect(n);
      }
      while (std::any_of(nodes_.begin(), nodes_.end(), [](const Node& n) { return !n.inbox.empty(); }))
        cycle(nullptr);
    }
  }

  std::vector<EmittedInsight> take() { return std::move(emitted_); }

 private:
  struct Node {
    const WiredProcessor* wired;
    std::unique_ptr<PluginRun> run;
    std::vector<EmittedInsight> inbox;
  };

  static void check(const Node& n, nebula_status status, const char* call) {
    if (status != NEBULA_OK)
      throw std::runtime_error(n.wired->id + ": " + call + " failed: " + n.run->instance().last_error());
  }

  // What `from` emitted since the last call: kept, and queued for every
  // processor that takes `from`'s insights (Runtime::route).
  void collect(Node& from) {
    auto& host = from.run->host();
    for (const auto& out : host.insights()) {
      EmittedInsight insight{from.wired->id, out.topic, out.json};
      for (auto& to : nodes_) {
        const auto& inputs = to.wired->insight_inputs;
        if (std::find(inputs.begin(), inputs.end(), from.wired->id) != inputs.end()) to.inbox.push_back(insight);
      }
      emitted_.push_back(std::move(insight));
    }
    host.clear_insights();
  }

  std::vector<Node> nodes_;
  int last_stage_ = 0;
  std::vector<EmittedInsight> emitted_;
};

}  // namespace

std::vector<EmittedInsight> replay(const std::vector<WiredProcessor>& wiring,
                                   const std::vector<nebula::OwnedBatch>& batches) {
  Pipeline pipeline(wiring);
  for (const auto& batch : batches) pipeline.cycle(&batch);
  pipeline.flush();
  return pipeline.take();
}

}  // namespace same_answers
