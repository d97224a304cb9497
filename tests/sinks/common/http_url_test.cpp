// The URL split the sinks that POST share: what is resolved, what is sent as
// Host and in the request line, and every way a URL is refused.
#include <gtest/gtest.h>

#include <nebula/host.hpp>

#include "http_url.hpp"

namespace {

using nebula::sinks::parse_http_url;

TEST(HttpPostUrl, SplitsHostPortAndPath) {
  const auto u = parse_http_url("http://127.0.0.1:7000/hooks/nebula?team=ops");
  EXPECT_FALSE(u.tls);
  EXPECT_EQ(u.host, "127.0.0.1");
  EXPECT_EQ(u.port, "7000");
  EXPECT_EQ(u.host_header, "127.0.0.1:7000");
  EXPECT_EQ(u.path, "/hooks/nebula?team=ops");
  EXPECT_EQ(u.target(), "/hooks/nebula?team=ops");
  EXPECT_EQ(u.text(), "http://127.0.0.1:7000/hooks/nebula?team=ops");
}

TEST(HttpPostUrl, DefaultsPortByScheme) {
  EXPECT_EQ(parse_http_url("http://pool.example").port, "80");
  const auto secure = parse_http_url("https://pool.example/in");
  EXPECT_TRUE(secure.tls);
  EXPECT_EQ(secure.port, "443");
  EXPECT_EQ(secure.host_header, "pool.example");  // Host as written, without the implied port
}

TEST(HttpPostUrl, WithoutAPathPostsToTheRoot) {
  const auto bare = parse_http_url("http://h:1");
  EXPECT_EQ(bare.path, "");
  EXPECT_EQ(bare.target(), "/");
  EXPECT_EQ(parse_http_url("http://h:1?x=1").target(), "/?x=1");
  EXPECT_EQ(parse_http_url("http://h:1?x=1").host_header, "h:1");
}

TEST(HttpPostUrl, Ipv6HostsLoseTheirBracketsForTheResolverOnly) {
  const auto v6 = parse_http_url("http://[::1]:8080/x");
  EXPECT_EQ(v6.host, "::1");
  EXPECT_EQ(v6.port, "8080");
  EXPECT_EQ(v6.host_header, "[::1]:8080");
  EXPECT_EQ(parse_http_url("https://[::1]").port, "443");
}

TEST(HttpPostUrl, RefusesWhatCannotBePostedTo) {
  const std::pair<const char*, const char*> cases[] = {
      {"ftp://h:1/", "must start with http:// or https://"},
      {"h:1/", "must start with http:// or https://"},
      {"http://", "no host"},
      {"http://:70/", "no host"},
      {"http://h:port/", "port must be a number"},
      {"http://h:123456/", "port out of range"},
      {"http://h:65536/", "port out of range"},
      {"http://h:0/", "port out of range"},
      {"http://[::1/", "unterminated IPv6 address"},
      {"http://[::1]x/", "expected ':' after IPv6 address"},
      {"http://h/hook#part", "must not carry a fragment"},
  };
  for (const auto& [url, why] : cases) {
    try {
      parse_http_url(url);
      ADD_FAILURE() << url << " was accepted";
    } catch (const nebula::Error& e) {
      EXPECT_EQ(e.status(), NEBULA_INVALID) << url;
      EXPECT_EQ(std::string(e.what()), std::string("endpoint '") + url + "': " + why);
    }
  }
}

}  // namespace
