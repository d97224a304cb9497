// The webhook's signature: HMAC-SHA256 of the exact body bytes under the
// shared secret, as lowercase hex, sent as "X-Nebula-Signature: sha256=<hex>".
#pragma once

#include <string>
#include <string_view>

namespace nebula::sink::webhook {

// 64 lowercase hex digits.
std::string hmac_sha256_hex(std::string_view secret, std::string_view message);

// The header value: "sha256=" + hmac_sha256_hex(secret, body).
std::string signature_header(std::string_view secret, std::string_view body);

}  // namespace nebula::sink::webhook
