// The alert state on plain values: start, re-send, resolve, severity that
// only rises, producers kept apart, truncated views, the cap.
#include <gtest/gtest.h>

#include "alert_book.hpp"

namespace am = nebula::alertmanager;

namespace {

am::WantedAlert wanted(const std::string& id, const std::string& node, am::Severity sev = am::Severity::Warning,
                       std::optional<double> start = 100.0) {
  am::WantedAlert a;
  a.identity = id;
  a.labels = {{"alertname", "NebulaIncident"}, {"node_id", node}, {"kind", "stall"}};
  a.annotations = {{"summary", "stall on " + node}};
  a.starts_at = start;
  a.severity = sev;
  return a;
}

am::AlertView view_of(std::vector<am::WantedAlert> current) {
  am::AlertView v;
  v.current = std::move(current);
  return v;
}

const am::OutgoingAlert* find(const std::vector<am::OutgoingAlert>& out, const std::string& node, bool resolved) {
  for (const auto& a : out)
    if (a.labels.at("node_id") == node && a.resolved == resolved) return &a;
  return nullptr;
}

}  // namespace

TEST(AlertBook, NewIncidentFiresWithItsStartAndAnEndInTheFuture) {
  am::AlertBook book({100, 300});
  auto r = book.reconcile("pattern/patterns", view_of({wanted("stall/n1/100", "n1")}), 1000);
  EXPECT_EQ(r.opened, 1u);
  auto out = book.changes(1000);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_FALSE(out[0].resolved);
  EXPECT_EQ(out[0].starts_at, 100);
  EXPECT_EQ(out[0].ends_at, 1300);
  EXPECT_EQ(out[0].labels.at("severity"), "warning");
  EXPECT_EQ(out[0].annotations.at("summary"), "stall on n1");
}

TEST(AlertBook, UnchangedViewSendsNothingButTheResendSendsEverythingFiring) {
  am::AlertBook book({100, 300});
  book.reconcile("p", view_of({wanted("a", "n1"), wanted("b", "n2")}), 1000);
  book.confirm_sent();
  book.reconcile("p", view_of({wanted("a", "n1"), wanted("b", "n2")}), 1010);
  EXPECT_TRUE(book.changes(1010).empty());
  auto all = book.everything(1060);
  ASSERT_EQ(all.size(), 2u);
  for (const auto& a : all) {
    EXPECT_FALSE(a.resolved);
    EXPECT_EQ(a.ends_at, 1360);  // fresh endsAt keeps Alertmanager firing
    EXPECT_EQ(a.starts_at, 100);  // the start never moves
  }
}

TEST(AlertBook, IncidentMissingFromTheViewResolvesOnceWithEndsAtNow) {
  am::AlertBook book({100, 300});
  book.reconcile("p", view_of({wanted("a", "n1"), wanted("b", "n2")}), 1000);
  book.confirm_sent();
  auto r = book.reconcile("p", view_of({wanted("b", "n2")}), 1020);
  EXPECT_EQ(r.resolved, 1u);
  auto out = book.changes(1025);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_TRUE(out[0].resolved);
  EXPECT_EQ(out[0].labels.at("node_id"), "n1");
  EXPECT_EQ(out[0].ends_at, 1020);
  book.confirm_sent();
  EXPECT_TRUE(book.changes(1030).empty());
  EXPECT_EQ(book.everything(1030).size(), 1u);  // only b is re-sent
  EXPECT_EQ(book.firing(), 1u);
}

TEST(AlertBook, FailedPostKeepsEveryChangePending) {
  am::AlertBook book({100, 300});
  book.reconcile("p", view_of({wanted("a", "n1")}), 1000);
  book.reconcile("p", view_of({}), 1010);  // no confirm in between: the POSTs failed
  auto out = book.changes(1020);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_TRUE(out[0].resolved);
  EXPECT_EQ(book.everything(1020).size(), 1u);  // the re-send carries the resolution too
  book.confirm_sent();
  EXPECT_TRUE(book.everything(1030).empty());
}

TEST(AlertBook, IncidentThatReturnsBeforeItsResolutionWasSentOnlyFires) {
  am::AlertBook book({100, 300});
  book.reconcile("p", view_of({wanted("a", "n1")}), 1000);
  book.confirm_sent();
  book.reconcile("p", view_of({}), 1010);
  book.reconcile("p", view_of({wanted("a", "n1")}), 1020);
  auto out = book.changes(1020);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_FALSE(out[0].resolved);
}

TEST(AlertBook, SeverityOnlyRisesAndARiseReplacesTheOldLabelSet) {
  am::AlertBook book({100, 300});
  book.reconcile("p", view_of({wanted("a", "n1", am::Severity::Info)}), 1000);
  book.confirm_sent();
  auto r = book.reconcile("p", view_of({wanted("a", "n1", am::Severity::Critical)}), 1010);
  EXPECT_EQ(r.opened, 1u);
  auto out = book.changes(1010);
  ASSERT_EQ(out.size(), 2u);
  const auto* old = find(out, "n1", true);
  const auto* now = find(out, "n1", false);
  ASSERT_NE(old, nullptr);
  ASSERT_NE(now, nullptr);
  EXPECT_EQ(old->labels.at("severity"), "info");
  EXPECT_EQ(now->labels.at("severity"), "critical");
  EXPECT_EQ(now->starts_at, 100);
  book.confirm_sent();
  // Falling back does not flap: the alert stays critical.
  book.reconcile("p", view_of({wanted("a", "n1", am::Severity::Info)}), 1020);
  EXPECT_TRUE(book.changes(1020).empty());
  EXPECT_EQ(book.everything(1020).at(0).labels.at("severity"), "critical");
}

TEST(AlertBook, AnnotationChangesRideOnTheNextResendWithoutAPostOfTheirOwn) {
  am::AlertBook book({100, 300});
  book.reconcile("p", view_of({wanted("a", "n1")}), 1000);
  book.confirm_sent();
  auto newer = wanted("a", "n1");
  newer.annotations["summary"] = "stall on n1, now 40 blocks behind";
  book.reconcile("p", view_of({newer}), 1010);
  EXPECT_TRUE(book.changes(1010).empty());
  EXPECT_EQ(book.everything(1060).at(0).annotations.at("summary"), "stall on n1, now 40 blocks behind");
}

TEST(AlertBook, ProducersAreKeptApart) {
  am::AlertBook book({100, 300});
  book.reconcile("host-a/patterns", view_of({wanted("a", "n1")}), 1000);
  book.reconcile("host-b/patterns", view_of({wanted("b", "n2")}), 1000);
  book.confirm_sent();
  book.reconcile("host-b/patterns", view_of({}), 1010);  // b's view no longer has b; a's alert stays
  auto out = book.changes(1010);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].labels.at("node_id"), "n2");
  EXPECT_TRUE(out[0].resolved);
  EXPECT_EQ(book.firing(), 1u);
}

TEST(AlertBook, TruncatedViewResolvesOnlyWhatEnded) {
  am::AlertBook book({100, 300});
  book.reconcile("p", view_of({wanted("a", "n1"), wanted("b", "n2")}), 1000);
  book.confirm_sent();
  am::AlertView cut;  // the producer listed neither (cut at max_listed), but says a ended
  cut.complete = false;
  cut.ended = {"a"};
  book.reconcile("p", cut, 1010);
  auto out = book.changes(1010);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].labels.at("node_id"), "n1");
  EXPECT_TRUE(out[0].resolved);
  EXPECT_EQ(book.firing(), 1u);
}

TEST(AlertBook, StartInTheFutureIsClampedToNowSoTheResolutionIsValid) {
  am::AlertBook book({100, 300});
  book.reconcile("p", view_of({wanted("a", "n1", am::Severity::Info, 5000.0)}), 1000);
  book.reconcile("p", view_of({}), 1001);
  auto out = book.changes(1001);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_LE(out[0].starts_at, out[0].ends_at);
}

TEST(AlertBook, UnknownStartIsFirstSeen) {
  am::AlertBook book({100, 300});
  book.reconcile("p", view_of({wanted("a", "n1", am::Severity::Info, std::nullopt)}), 1000);
  book.reconcile("p", view_of({wanted("a", "n1", am::Severity::Info, std::nullopt)}), 1050);
  EXPECT_EQ(book.everything(1050).at(0).starts_at, 1000);
}

TEST(AlertBook, CapRefusesNewAlertsAndCountsThem) {
  am::AlertBook book({2, 300});
  auto r = book.reconcile("p", view_of({wanted("a", "n1"), wanted("b", "n2"), wanted("c", "n3")}), 1000);
  EXPECT_EQ(r.opened, 2u);
  EXPECT_EQ(r.over_cap, 1u);
  EXPECT_EQ(book.firing(), 2u);
  // Once one resolves there is room again.
  book.confirm_sent();
  r = book.reconcile("p", view_of({wanted("b", "n2"), wanted("c", "n3")}), 1010);
  EXPECT_EQ(r.over_cap, 0u);
  EXPECT_EQ(r.resolved, 1u);
  EXPECT_EQ(book.firing(), 2u);
}

TEST(AlertBook, UnsentResolutionsAreBoundedAndTheDropIsCounted) {
  am::AlertBook book({2, 300});
  size_t dropped = 0;
  for (int i = 0; i < 5; ++i) {  // Alertmanager down: nothing is ever confirmed
    book.reconcile("p", view_of({wanted("x" + std::to_string(i), "n" + std::to_string(i))}), 1000 + i);
    dropped += book.reconcile("p", view_of({}), 1000.5 + i).dropped_resolutions;
  }
  EXPECT_EQ(book.pending_resolutions(), 2u);
  EXPECT_EQ(dropped, 3u);
}
