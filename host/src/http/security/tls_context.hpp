// OpenSSL contexts built from configured PEM files. Every problem names the
// setting it is about, so config validation can point at that key.
#pragma once

#include <memory>
#include <stdexcept>
#include <string>

#include <boost/asio/ssl/context.hpp>

#include "http/security/tls_files.hpp"

namespace nebula::security {

using TlsContext = std::shared_ptr<boost::asio::ssl::context>;

// A file that cannot be used; `field` is the setting ("cert", "key",
// "client_ca", "ca"), what() says why and names the path.
class TlsFileError : public std::runtime_error {
 public:
  TlsFileError(std::string field, const std::string& message)
      : std::runtime_error(message), field_(std::move(field)) {}
  const std::string& field() const { return field_; }

 private:
  std::string field_;
};

// TLS 1.2 or newer. Both throw TlsFileError; the files are read once, here.
TlsContext make_server_context(const ServerTls& files);
TlsContext make_client_context(const ClientTls& files);

}  // namespace nebula::security
