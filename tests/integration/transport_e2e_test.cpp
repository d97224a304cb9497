// Each transport end to end (see transport_e2e.hpp); the TLS variants are in
// tests/security/transport_e2e_tls_test.cpp.
#include "transport_e2e.hpp"

namespace {

using nebula_e2e::Case;

class TransportEndToEnd : public ::testing::TestWithParam<Case> {};

}  // namespace

TEST_P(TransportEndToEnd, EveryRecordArrivesExactlyOnce) { nebula_e2e::expect_every_record_exactly_once(GetParam()); }

INSTANTIATE_TEST_SUITE_P(
    Transports, TransportEndToEnd,
    ::testing::Values(Case{"http", "  - {id: in, plugin: nebula.transport.http, config: {port: 0}}\n",
                           "http://127.0.0.1:{port}", ""},
                      Case{"tcp", "  - {id: in, plugin: nebula.transport.tcp, config: {port: 0}}\n",
                           "tcp://127.0.0.1:{port}", ""},
                      Case{"file",
                           "  - id: in\n    plugin: nebula.transport.file\n    config:\n"
                           "      paths: [\"{dir}/spool/*.jsonl\"]\n      poll_interval_ms: 20\n",
                           "file://{dir}/spool/fleet.jsonl", ""}),
    [](const ::testing::TestParamInfo<Case>& info) { return std::string(info.param.name); });
