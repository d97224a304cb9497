#include <gtest/gtest.h>

#include <stdexcept>

#include "http/router.hpp"

using namespace nebula::http;
using namespace nebula::http::detail;
using Segments = std::vector<std::string>;

namespace {

Handler replying(std::string text) {
  return [text](const Request&) {
    Response r;
    r.body = text;
    return r;
  };
}

std::string call(const RouteMatch& match) { return (*match.handler)(Request{}).body; }

}  // namespace

TEST(Router, CapturesParams) {
  Router router;
  router.add("GET", "/api/v1/agents/{name}/query", replying("query"));
  const auto match = router.match("GET", {"api", "v1", "agents", "my agent", "query"});
  ASSERT_TRUE(match.handler);
  EXPECT_EQ(call(match), "query");
  EXPECT_EQ(match.params, (std::map<std::string, std::string>{{"name", "my agent"}}));
}

TEST(Router, LiteralSegmentsBeatParams) {
  Router router;
  router.add("GET", "/agents/{name}", replying("param"));
  router.add("GET", "/agents/stats", replying("literal"));
  router.add("GET", "/{a}/{b}", replying("catch-all"));
  EXPECT_EQ(call(router.match("GET", {"agents", "stats"})), "literal");
  EXPECT_EQ(call(router.match("GET", {"agents", "bob"})), "param");
  EXPECT_EQ(call(router.match("GET", {"other", "bob"})), "catch-all");
}

TEST(Router, ParamsMustNotBeEmpty) {
  Router router;
  router.add("GET", "/agents/{name}", replying("param"));
  const auto match = router.match("GET", {"agents", ""});
  EXPECT_FALSE(match.handler);
  EXPECT_TRUE(match.allowed_methods.empty());
}

TEST(Router, ReportsAllowedMethodsForAKnownPath) {
  Router router;
  router.add("PUT", "/items", replying("put"));
  router.add("GET", "/items", replying("get"));
  const auto match = router.match("DELETE", {"items"});
  EXPECT_FALSE(match.handler);
  EXPECT_EQ(match.allowed_methods, (Segments{"GET", "PUT"}));
}

TEST(Router, UnknownPathHasNoAllowedMethods) {
  Router router;
  router.add("GET", "/items", replying("get"));
  EXPECT_TRUE(router.match("GET", {"nope"}).allowed_methods.empty());
  EXPECT_FALSE(router.match("GET", {"items", "extra"}).handler);
}

TEST(Router, ReRegisteringReplacesTheHandler) {
  Router router;
  router.add("GET", "/x", replying("old"));
  router.add("GET", "/x", replying("new"));
  EXPECT_EQ(call(router.match("GET", {"x"})), "new");
}

TEST(Router, RejectsMalformedPatterns) {
  Router router;
  EXPECT_THROW(router.add("GET", "no-slash", replying("")), std::invalid_argument);
  EXPECT_THROW(router.add("GET", "/a/{}", replying("")), std::invalid_argument);
  EXPECT_THROW(router.add("GET", "/a/file.{ext}", replying("")), std::invalid_argument);
  EXPECT_THROW(router.add("GET", "/a/{x}/{x}", replying("")), std::invalid_argument);
  EXPECT_THROW(router.add("GET", "/a/{x", replying("")), std::invalid_argument);
  EXPECT_THROW(router.add("GET", "/a", Handler{}), std::invalid_argument);
}
