#include "http/security/tls_context.hpp"

#include <openssl/ssl.h>

#include <cerrno>
#include <cstring>
#include <fstream>

namespace nebula::security {
namespace ssl = boost::asio::ssl;

namespace {

// OpenSSL's own reasons ("no start line") do not say which file; check that
// the file can be opened first so a typo in a path reads as one.
void require_readable(const std::string& field, const std::string& path) {
  std::ifstream in(path);
  if (!in) throw TlsFileError(field, "cannot read '" + path + "': " + std::strerror(errno));
}

template <class F>
void load(const std::string& field, const std::string& path, const char* what, F&& step) {
  require_readable(field, path);
  try {
    step();
  } catch (const boost::system::system_error& e) {
    throw TlsFileError(field, "'" + path + "' is not " + what + ": " + e.code().message());
  }
}

TlsContext base_context(ssl::context::method method) {
  auto ctx = std::make_shared<ssl::context>(method);
  ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                   ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
  // The default callback would prompt on the terminal for an encrypted key;
  // answer with no passphrase so such a key fails to load instead.
  ctx->set_password_callback([](std::size_t, ssl::context::password_purpose) { return std::string(); });
  return ctx;
}

// Key first: loaded after the certificate, a key of another pair fails with
// OpenSSL's bare "key values mismatch"; this way the check below names both files.
void load_identity(ssl::context& ctx, const std::string& cert, const std::string& key) {
  load("key", key, "an unencrypted PEM private key", [&] { ctx.use_private_key_file(key, ssl::context::pem); });
  load("cert", cert, "a PEM certificate (chain)", [&] { ctx.use_certificate_chain_file(cert); });
  if (SSL_CTX_check_private_key(ctx.native_handle()) != 1)
    throw TlsFileError("key", "'" + key + "' does not belong to the certificate in '" + cert + "'");
}

}  // namespace

TlsContext make_server_context(const ServerTls& files) {
  auto ctx = base_context(ssl::context::tls_server);
  load_identity(*ctx, files.cert, files.key);
  if (!files.client_ca.empty()) {
    load("client_ca", files.client_ca, "a PEM CA bundle", [&] { ctx->load_verify_file(files.client_ca); });
    // Tell clients which CAs we accept, so one holding several certs picks right.
    if (STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(files.client_ca.c_str()))
      SSL_CTX_set_client_CA_list(ctx->native_handle(), names);
    ctx->set_verify_mode(ssl::verify_peer | ssl::verify_fail_if_no_peer_cert);
  }
  return ctx;
}

TlsContext make_client_context(const ClientTls& files) {
  auto ctx = base_context(ssl::context::tls_client);
  if (files.ca.empty()) {
    ctx->set_default_verify_paths();
  } else {
    load("ca", files.ca, "a PEM CA bundle", [&] { ctx->load_verify_file(files.ca); });
  }
  ctx->set_verify_mode(ssl::verify_peer);
  if (!files.cert.empty() || !files.key.empty()) load_identity(*ctx, files.cert, files.key);
  return ctx;
}

}  // namespace nebula::security
