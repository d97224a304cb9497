// The clients' connect step (node side: one delivery at a time on a private
// io_context): TCP connect within a deadline, then the TLS handshake when a
// context is given. Shared by the HTTP and TCP transport clients.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include <boost/asio/io_context.hpp>

#include "http/security/tls_context.hpp"
#include "http/security/tls_stream.hpp"

namespace nebula::security {

struct ConnectTarget {
  std::string host;
  std::string port;
  std::chrono::milliseconds timeout;  // connect and handshake together
  TlsContext tls;                     // null: plain TCP
  std::string server_name;            // with tls: what the certificate must name
};

// Emplaces `stream` connected (TCP_NODELAY, handshake done) and returns "";
// else leaves it empty and returns why, naming host:port.
std::string connect_blocking(boost::asio::io_context& ioc, std::optional<Stream>& stream, const ConnectTarget& to);

}  // namespace nebula::security
