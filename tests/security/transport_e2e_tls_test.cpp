// nebula-node simulate -> nebula-pool over TLS, end to end (the exactly-once
// check of tests/integration/transport_e2e.hpp): HTTPS, HTTPS with client
// certificates, and TCP over TLS with client certificates.
#include "nebula_test/test_pki.hpp"
#include "transport_e2e.hpp"

namespace {

using nebula_e2e::Case;
using nebula_e2e::replace_all;

class TlsTransportEndToEnd : public ::testing::TestWithParam<Case> {};

// "{ca}", "{server_cert}"... become the paths of the PKI made for this run.
Case with_pki(Case c) {
  const auto& pki = nebula_test::TestPki::shared();
  for (std::string* s : {&c.component, &c.node_flags})
    for (auto [from, to] : {std::pair{"{ca}", pki.ca}, {"{server_cert}", pki.server_cert},
                            {"{server_key}", pki.server_key}, {"{client_cert}", pki.client_cert},
                            {"{client_key}", pki.client_key}})
      *s = replace_all(*s, from, to);
  return c;
}

const std::string kServerTls = "tls: {cert: \"{server_cert}\", key: \"{server_key}\"";
const std::string kMutual = ", client_ca: \"{ca}\"";
const std::string kTrustCa = R"(--transport-config '{"tls":{"ca":"{ca}"}}')";
const std::string kWithCert = R"(--transport-config '{"tls":{"ca":"{ca}","cert":"{client_cert}","key":"{client_key}"}}')";

}  // namespace

TEST_P(TlsTransportEndToEnd, EveryRecordArrivesExactlyOnce) {
  nebula_e2e::expect_every_record_exactly_once(with_pki(GetParam()));
}

INSTANTIATE_TEST_SUITE_P(
    Tls, TlsTransportEndToEnd,
    ::testing::Values(
        Case{"https", "  - {id: in, plugin: nebula.transport.http, config: {port: 0, " + kServerTls + "}}}\n",
             "https://127.0.0.1:{port}", kTrustCa},
        Case{"https_mutual", "  - {id: in, plugin: nebula.transport.http, config: {port: 0, " + kServerTls + kMutual + "}}}\n",
             "https://127.0.0.1:{port}", kWithCert},
        Case{"tcp_tls_mutual", "  - {id: in, plugin: nebula.transport.tcp, config: {port: 0, " + kServerTls + kMutual + "}}}\n",
             "tcp+tls://127.0.0.1:{port}", kWithCert}),
    [](const ::testing::TestParamInfo<Case>& info) { return std::string(info.param.name); });
