#include "http/security/tls_stream.hpp"

#include <openssl/ssl.h>

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>

namespace nebula::security {

void Stream::use_tls(boost::asio::ssl::context& ctx) {
  if (is_tls()) return;
  Plain tcp = std::move(std::get<Plain>(stream_));
  stream_.emplace<Secure>(std::move(tcp), ctx);
}

void Stream::expect_server_name(const std::string& server_name) {
  auto& tls = std::get<Secure>(stream_);
  boost::system::error_code not_an_address;
  boost::asio::ip::make_address(server_name, not_an_address);
  // SNI carries host names only (RFC 6066); certificates for IPs are still checked.
  if (not_an_address) SSL_set_tlsext_host_name(tls.native_handle(), server_name.c_str());
  tls.set_verify_callback(boost::asio::ssl::host_name_verification(server_name));
}

}  // namespace nebula::security
