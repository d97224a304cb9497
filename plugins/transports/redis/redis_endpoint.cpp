// Endpoint URLs: redis://[[user]:password@]host[:port][/db].
#include <charconv>
#include <stdexcept>

#include "redis_connection.hpp"

namespace nebula::redis {
namespace {

constexpr std::string_view kScheme = "redis://";

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Credentials may hold '@', ':' or '/' only %-encoded.
std::string percent_decoded(std::string_view text, const std::string& what) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    const int hi = i + 2 < text.size() ? hex_digit(text[i + 1]) : -1;
    const int lo = hi >= 0 ? hex_digit(text[i + 2]) : -1;
    if (lo < 0) throw std::invalid_argument(what + " has a '%' not followed by two hex digits");
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

// Digits only, within [lo, hi]; -1 otherwise.
long whole_number(std::string_view digits, long lo, long hi) {
  long value = -1;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() || value < lo || value > hi) return -1;
  return value;
}

}  // namespace

std::string Endpoint::text() const {
  const bool v6 = host.find(':') != std::string::npos;
  return std::string(kScheme) + (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port) + "/" + std::to_string(db);
}

Endpoint parse_endpoint(const std::string& url) {
  auto bad = [&](const std::string& why) {
    // Never echo the URL when it may carry a password.
    const bool secret = url.find('@') != std::string::npos;
    return std::invalid_argument("redis endpoint '" + (secret ? std::string("redis://***@...") : url) + "': " + why);
  };
  std::string_view rest(url);
  if (rest.substr(0, 9) == "rediss://") throw bad("TLS (rediss://) is not supported; use redis://");
  if (rest.substr(0, kScheme.size()) != kScheme) throw bad("must start with redis://");
  rest.remove_prefix(kScheme.size());
  if (rest.find_first_of("?#") != std::string_view::npos) throw bad("query strings and fragments are not supported");

  Endpoint ep;
  if (auto at = rest.rfind('@'); at != std::string_view::npos) {
    std::string_view credentials = rest.substr(0, at);
    rest.remove_prefix(at + 1);
    auto colon = credentials.find(':');
    if (colon == std::string_view::npos) throw bad("credentials must be ':password@' or 'user:password@'");
    try {
      ep.username = percent_decoded(credentials.substr(0, colon), "user name");
      ep.password = percent_decoded(credentials.substr(colon + 1), "password");
    } catch (const std::invalid_argument& e) {
      throw bad(e.what());
    }
    if (ep.password.empty()) throw bad("empty password");
  }

  std::string_view authority = rest.substr(0, rest.find('/'));
  std::string_view path = authority.size() < rest.size() ? rest.substr(authority.size() + 1) : std::string_view{};
  std::string_view port;
  if (!authority.empty() && authority.front() == '[') {
    auto close = authority.find(']');
    if (close == std::string_view::npos) throw bad("unclosed '[' in an IPv6 address");
    ep.host = std::string(authority.substr(1, close - 1));
    std::string_view after = authority.substr(close + 1);
    if (!after.empty() && after.front() != ':') throw bad("expected ':port' after ']'");
    if (!after.empty()) port = after.substr(1);
    if (after == ":") throw bad("empty port");
  } else {
    auto colon = authority.find(':');
    ep.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) {
      port = authority.substr(colon + 1);
      if (port.empty()) throw bad("empty port");
    }
  }
  if (ep.host.empty()) throw bad("no host");
  if (!port.empty()) {
    const long p = whole_number(port, 1, 65535);
    if (p < 0) throw bad("port must be a number from 1 to 65535, got '" + std::string(port) + "'");
    ep.port = static_cast<int>(p);
  }
  if (!path.empty()) {
    const long db = whole_number(path, 0, 1'000'000);
    if (db < 0) throw bad("database must be a number (redis://host:port/0), got '" + std::string(path) + "'");
    ep.db = static_cast<int>(db);
  }
  return ep;
}

}  // namespace nebula::redis
