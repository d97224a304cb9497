// What the host offers a transport fed by a shared broker (ABI 1.2): asking
// it, before replaying the write-ahead log, whether a logged payload is still
// this host's; a readiness report that /readyz follows; and whole payloads
// kept as dead letters and replayed through the same door as new input.
#include <gtest/gtest.h>

#include "nebula_test/wait.hpp"
#include "runtime/dead_letters.hpp"
#include "ingest/record_decoder.hpp"
#include "runtime/wal_payload.hpp"
#include "runtime_harness.hpp"
#include "wal/write_ahead_log.hpp"

using nebula_test::wait_until;

namespace {

std::string broker_feed(const std::string& extra) {
  return "  - id: feed\n    plugin: nebula.test.fake_transport\n    config: {repeat: 0" + extra + "}\n"
         "  - {id: count, plugin: nebula.test.counting, inputs: [feed]}\n";
}

constexpr const char* kWalOn = "wal: {enabled: true, fsync: always}\npool: {batch_max_records: 10, batch_max_wait_ms: 10}";

// Leaves in <state>/wal what a crashed host would: `payloads` logged
// payloads of 3 records each from transport "feed", none processed yet.
void log_unprocessed_payloads(RuntimeHarness& h, int payloads) {
  nebula::wal::WalOptions options;
  options.dir = h.dir.path() / "state" / "wal";
  nebula::wal::WriteAheadLog log(options);
  for (int p = 0; p < payloads; ++p) {
    auto decoded = nebula::host::decode_json_payload(batch_payload("n" + std::to_string(p), 3, 10));
    std::vector<const nebula::host::Record*> records;
    for (const auto& r : decoded.records) records.push_back(&r);
    const auto bytes = nebula::host::encode_wal_payload("feed", "", records, "stream:0 1-" + std::to_string(p));
    ASSERT_TRUE(log.append(bytes, uint32_t(records.size())).written);
  }
}

int64_t described(RuntimeHarness& h, const char* what) {
  auto e = h.runtime->endpoints();
  return e.contains("feed") && e["feed"].contains(what) ? e["feed"][what].get<int64_t>() : -1;
}

}  // namespace

TEST(BrokerTransport, APayloadAnotherHostTookOverIsNotReplayed) {
  RuntimeHarness h(kWalOn, broker_feed(", confirm: drop"));
  log_unprocessed_payloads(h, 4);
  h.start();
  EXPECT_EQ(described(h, "confirm_calls"), 4);
  EXPECT_EQ(h.stats()["pool"]["records_replayed"], 0);
  EXPECT_EQ(h.stats()["pool"]["records_replay_handed_over"], 12);
  h.runtime->shutdown();
  EXPECT_EQ(h.metrics.value("nebula_component_records_total", {{"component", "count"}}), 0);
}

TEST(BrokerTransport, APayloadStillOursIsReplayedOnceTheBrokerAnswers) {
  // The broker cannot tell twice (unreachable); the host waits and asks again
  // instead of guessing, then replays.
  RuntimeHarness h(kWalOn, broker_feed(", confirm: \"retry:2\""));
  log_unprocessed_payloads(h, 1);
  h.start();
  EXPECT_EQ(described(h, "confirm_calls"), 3);
  ASSERT_TRUE(wait_until([&] { return h.stats()["pool"]["records_processed"] == 3; }));
  EXPECT_EQ(h.stats()["pool"]["records_replay_handed_over"], 0);
  h.runtime->shutdown();
  EXPECT_EQ(h.metrics.value("nebula_component_records_total", {{"component", "count"}}), 3);
}

TEST(BrokerTransport, TheOriginInTheSubmitMetaIsLoggedWithThePayload) {
  RuntimeHarness h(kWalOn, "  - id: feed\n    plugin: nebula.test.fake_transport\n    config: {repeat: 2, origin: \"stream:7\", "
                           "payload: " + batch_payload("n1", 3, 1) + "}\n"
                           "  - {id: count, plugin: nebula.test.counting, inputs: [feed]}\n");
  h.start();
  ASSERT_TRUE(wait_until([&] { return described(h, "accepted") == 6; }));
  h.runtime->shutdown();
  nebula::wal::WalOptions options;
  options.dir = h.dir.path() / "state" / "wal";
  nebula::wal::WriteAheadLog log(options);
  std::vector<std::string> origins;
  log.replay([&](uint64_t, uint32_t, std::string_view bytes, bool) {
    origins.push_back(nebula::host::decode_wal_payload(bytes).origin);
  });
  // The retry is a duplicate (same seqs), so only the first payload was logged.
  EXPECT_EQ(origins, std::vector<std::string>{"stream:7 0"});
}

TEST(BrokerTransport, ATransportReportingNotReadyMakesThePoolNotReady) {
  RuntimeHarness h("", broker_feed(", not_ready: \"broker 127.0.0.1:1 unreachable\""));
  h.start();
  EXPECT_TRUE(h.runtime->started());
  EXPECT_FALSE(h.runtime->ready());
  auto not_ready = h.runtime->not_ready();
  ASSERT_EQ(not_ready.size(), 1u);
  EXPECT_EQ(not_ready[0].first, "feed");
  EXPECT_EQ(not_ready[0].second, "broker 127.0.0.1:1 unreachable");
  EXPECT_EQ(h.stats()["transports"][0]["ready"], false);
  h.runtime->refresh_gauges();
  EXPECT_EQ(h.metrics.value("nebula_ready", {}), 0);
  h.runtime->shutdown();
}

TEST(BrokerTransport, APoisonPayloadIsKeptWholeAndCanBeReplayed) {
  RuntimeHarness h("pool: {batch_max_records: 10, batch_max_wait_ms: 10}",
                   broker_feed(", dead_letter: " + batch_payload("poison", 4, 1)));
  h.start();
  const auto dir = h.dir.path() / "state" / "dead-letters";
  auto letters = nebula::host::DeadLetterStore::read_pending(dir);
  ASSERT_EQ(letters.size(), 1u);
  EXPECT_EQ(letters[0]["component"], "feed");
  EXPECT_EQ(letters[0]["reason"], "fake broker: poison entry");
  EXPECT_EQ(letters[0]["format"], NEBULA_FORMAT_JSON);
  EXPECT_EQ(nlohmann::json::parse(letters[0]["payload"].get<std::string>())["node_id"], "poison");

  auto answer = h.runtime->replay_dead_letters();
  EXPECT_EQ(answer["replayed"], 4) << answer.dump();
  EXPECT_EQ(answer["kept"], 0) << answer.dump();
  ASSERT_TRUE(wait_until([&] { return h.stats()["pool"]["records_processed"] == 4; }));
  EXPECT_TRUE(nebula::host::DeadLetterStore::read_pending(dir).empty());
  h.runtime->shutdown();
}

TEST(BrokerTransport, APayloadLetterThatStillDoesNotDecodeIsKept) {
  RuntimeHarness h("", broker_feed(", dead_letter: \"not a batch\""));
  h.start();
  auto answer = h.runtime->replay_dead_letters();
  EXPECT_EQ(answer["replayed"], 0);
  EXPECT_EQ(answer["kept"], 1);
  auto letters = nebula::host::DeadLetterStore::read_pending(h.dir.path() / "state" / "dead-letters");
  ASSERT_EQ(letters.size(), 1u);
  EXPECT_EQ(letters[0]["payload"], "\"not a batch\"");
  EXPECT_NE(letters[0]["reason"].get<std::string>().find("replay failed"), std::string::npos);
  h.runtime->shutdown();
}

TEST(BrokerTransport, LogsWrittenBeforeOriginsExistedStillReplay) {
  // The version-1 payload layout: source | target | NDJSON, no marker.
  std::string v1;
  auto put = [&](const std::string& text) {
    const auto len = static_cast<uint16_t>(text.size());
    v1.append(reinterpret_cast<const char*>(&len), 2);
    v1 += text;
  };
  put("feed");
  put("");
  v1 += R"({"node_id":"n1","seq":4,"timestamp":1767225600})" "\n";
  const auto payload = nebula::host::decode_wal_payload(v1);
  EXPECT_EQ(payload.source, "feed");
  EXPECT_EQ(payload.origin, "");
  ASSERT_EQ(payload.records.size(), 1u);
  EXPECT_EQ(payload.records[0].node_id, "n1");
}
