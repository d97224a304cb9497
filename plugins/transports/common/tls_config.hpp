// The `tls` object of a transport's config, server side
//   tls: {cert: PATH, key: PATH, client_ca: PATH}      (client_ca: mutual TLS)
// and client side
//   tls: {ca: PATH, cert: PATH, key: PATH, server_name: NAME}
// Reading it also loads the files, so a missing or unusable file is a config
// error at "/tls/<key>" (validate), never a failure later. Paths are used as
// written: relative ones resolve against the process's working directory.
#pragma once

#include <optional>
#include <string>

#include <boost/system/error_code.hpp>
#include <nlohmann/json.hpp>

#include <nebula/host.hpp>

#include "http/security/tls_context.hpp"

namespace nebula::transport {

// nullopt when `cfg` has no "tls" key (TLS off).
std::optional<security::ServerTls> read_server_tls(const nlohmann::json& cfg, ConfigErrors& errors);
std::optional<security::ClientTls> read_client_tls(const nlohmann::json& cfg, ConfigErrors& errors);

// The server's context (null without tls); a file that became unusable since
// validation throws nebula::Error(NEBULA_INVALID) naming `transport` and the key.
security::TlsContext server_tls_context(const std::optional<security::ServerTls>& tls, const char* transport);

// A failed server handshake: counted (tls_handshake_failures) and logged at debug.
void count_handshake_failure(const Host& host, const std::string& peer, const boost::system::error_code& ec);

// What a client connects with: a null context for a plain endpoint. Throws
// nebula::Error(NEBULA_INVALID) when tls is configured for a plain endpoint
// (it would silently send in clear text) or a file became unusable.
struct ClientTlsSetup {
  security::TlsContext context;
  std::string server_name;  // tls.server_name, else the endpoint's host
};
ClientTlsSetup client_tls_setup(const std::optional<security::ClientTls>& tls, bool endpoint_is_tls,
                                const std::string& host, const std::string& endpoint, const char* tls_scheme);

}  // namespace nebula::transport
