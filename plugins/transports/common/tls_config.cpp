#include "tls_config.hpp"

#include <nebula/config_helpers.hpp>

namespace nebula::transport {
namespace {

constexpr const char* kPointer = "/tls";

// The "tls" object, or null (absent, or reported as not an object).
const nlohmann::json* tls_object(const nlohmann::json& cfg, ConfigErrors& errors) {
  if (!cfg.is_object() || !cfg.contains("tls")) return nullptr;
  const auto& tls = cfg.at("tls");
  if (tls.is_object()) return &tls;
  errors.add(kPointer, "must be an object, e.g. {cert: server.pem, key: server.key}");
  return nullptr;
}

std::string path(const nlohmann::json& tls, const char* key, ConfigErrors& errors) {
  std::string value = config::text(tls, key, "", &errors, kPointer);
  if (tls.contains(key) && tls.at(key).is_string() && value.empty())
    errors.add(std::string(kPointer) + "/" + key, "must not be empty");
  return value;
}

// Builds the context once to prove the files usable; reports what is not.
template <class Files, class Make>
void check_files(const Files& files, Make make, size_t errors_before, ConfigErrors& errors) {
  if (errors.size() != errors_before) return;  // a key is already wrong: no file noise on top
  try {
    make(files);
  } catch (const security::TlsFileError& e) {
    errors.add(std::string(kPointer) + "/" + e.field(), e.what());
  }
}

}  // namespace

std::optional<security::ServerTls> read_server_tls(const nlohmann::json& cfg, ConfigErrors& errors) {
  const size_t before = errors.size();
  const nlohmann::json* tls = tls_object(cfg, errors);
  if (!tls) return std::nullopt;
  config::reject_unknown_keys(*tls, {"cert", "key", "client_ca"}, errors, kPointer);
  security::ServerTls files{path(*tls, "cert", errors), path(*tls, "key", errors), path(*tls, "client_ca", errors)};
  for (const char* key : {"cert", "key"})
    if (!tls->contains(key)) errors.add(std::string(kPointer) + "/" + key, "required when tls is set");
  check_files(files, security::make_server_context, before, errors);
  return files;
}

std::optional<security::ClientTls> read_client_tls(const nlohmann::json& cfg, ConfigErrors& errors) {
  const size_t before = errors.size();
  const nlohmann::json* tls = tls_object(cfg, errors);
  if (!tls) return std::nullopt;
  config::reject_unknown_keys(*tls, {"ca", "cert", "key", "server_name"}, errors, kPointer);
  security::ClientTls files{path(*tls, "ca", errors), path(*tls, "cert", errors), path(*tls, "key", errors),
                            path(*tls, "server_name", errors)};
  if (tls->contains("cert") != tls->contains("key"))
    errors.add(std::string(kPointer) + (tls->contains("cert") ? "/key" : "/cert"),
               "cert and key go together (the client certificate for mutual TLS)");
  check_files(files, security::make_client_context, before, errors);
  return files;
}

security::TlsContext server_tls_context(const std::optional<security::ServerTls>& tls, const char* transport) {
  if (!tls) return nullptr;
  try {
    return security::make_server_context(*tls);
  } catch (const security::TlsFileError& e) {
    throw Error(NEBULA_INVALID, std::string(transport) + " transport tls." + e.field() + ": " + e.what());
  }
}

void count_handshake_failure(const Host& host, const std::string& peer, const boost::system::error_code& ec) {
  host.count("tls_handshake_failures");
  host.debug("TLS handshake with " + peer + " failed: " + ec.message());
}

ClientTlsSetup client_tls_setup(const std::optional<security::ClientTls>& tls, bool endpoint_is_tls,
                                const std::string& host, const std::string& endpoint, const char* tls_scheme) {
  if (tls && !endpoint_is_tls)
    throw Error(NEBULA_INVALID, "tls is configured but endpoint '" + endpoint + "' is not " + tls_scheme);
  ClientTlsSetup setup;
  if (!endpoint_is_tls) return setup;
  try {
    setup.context = security::make_client_context(tls.value_or(security::ClientTls{}));
  } catch (const security::TlsFileError& e) {
    throw Error(NEBULA_INVALID, std::string("tls.") + e.field() + ": " + e.what());
  }
  setup.server_name = tls && !tls->server_name.empty() ? tls->server_name : host;
  return setup;
}

}  // namespace nebula::transport
