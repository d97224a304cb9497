// Where the TLS material of one endpoint lives, as configured. Plain data:
// config readers fill it, tls_context.hpp turns it into an OpenSSL context.
#pragma once

#include <string>

namespace nebula::security {

// A listening side. `cert` and `key` are PEM files (the cert file may hold
// the chain). A `client_ca` asks every client for a certificate signed by
// one of the CAs in that PEM file (mutual TLS).
struct ServerTls {
  std::string cert;
  std::string key;
  std::string client_ca;  // "" = clients need no certificate
  bool enabled() const { return !cert.empty(); }
};

// A connecting side. `ca` is the PEM bundle the server certificate must chain
// to ("" = the system's trust store); `cert` + `key` are presented when the
// server asks (mutual TLS); `server_name` is checked against the server
// certificate and sent as SNI ("" = the endpoint's host).
struct ClientTls {
  std::string ca;
  std::string cert;
  std::string key;
  std::string server_name;
};

}  // namespace nebula::security
