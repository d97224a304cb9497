// The admin API of the real nebula-pool process: bearer token (admin.token,
// admin.token_file), HTTPS and mutual TLS (admin.tls), the loopback default,
// and validate's errors for unusable files.
#include <gtest/gtest.h>
#include <signal.h>

#include "nebula_test/https_client.hpp"
#include "nebula_test/test_pki.hpp"
#include "pool_harness.hpp"

using nebula_test::http_request;
using nebula_test::https_request;
using nebula_test::TestPki;

namespace {

const std::string kComponents =
    "components:\n"
    "  - {id: feed, plugin: nebula.test.fake_transport}\n"
    "  - {id: count, plugin: nebula.test.counting, inputs: [feed]}\n";

// A pool whose pipeline has `admin` as given (YAML block under "admin:").
class AdminPool {
 public:
  explicit AdminPool(const std::string& admin) : pool_("") {
    pool_.dir.write("pipeline.yaml", "plugins:\n  paths: [\"" NEBULA_BINARY_DIR "/test-plugins\"]\n"
                                     "state_dir: state\nadmin:\n" + admin + kComponents);
  }
  ~AdminPool() {
    if (pool_.process && pool_.process->running()) {
      pool_.process->signal(SIGTERM);
      pool_.process->wait_exit(std::chrono::seconds(20));
    }
  }
  PoolProcess& operator*() { return pool_; }
  PoolProcess* operator->() { return &pool_; }

 private:
  PoolProcess pool_;
};

std::map<std::string, std::string> bearer(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }

}  // namespace

TEST(AdminAuth, TokenGuardsEveryEndpointButHealthz) {
  AdminPool pool("  port: 0\n  token: ${ADMIN_TOKEN:-s3cret-admin-token}\n");
  ASSERT_TRUE(pool->start()) << pool->log();
  const auto port = pool->admin_port;
  EXPECT_EQ(pool->endpoints["admin"]["address"], "127.0.0.1");  // loopback unless admin.address says otherwise

  EXPECT_EQ(http_request("127.0.0.1", port, "GET", "/healthz").status, 200);
  for (const char* path : {"/readyz", "/metrics", "/api/v1/pool/stats", "/api/v1/plugins", "/no/such/path"}) {
    auto refused = http_request("127.0.0.1", port, "GET", path);
    EXPECT_EQ(refused.status, 401) << path;
    EXPECT_EQ(refused.headers["WWW-Authenticate"], "Bearer") << path;
    EXPECT_EQ(http_request("127.0.0.1", port, "GET", path, "", bearer("s3cret-admin-tokeN")).status, 401) << path;
  }
  EXPECT_EQ(http_request("127.0.0.1", port, "POST", "/api/v1/agents/x/query", "{}").status, 401);

  EXPECT_EQ(http_request("127.0.0.1", port, "GET", "/readyz", "", bearer("s3cret-admin-token")).status, 200);
  EXPECT_EQ(http_request("127.0.0.1", port, "GET", "/api/v1/pool/stats", "", bearer("s3cret-admin-token")).status, 200);
  EXPECT_EQ(http_request("127.0.0.1", port, "GET", "/no/such/path", "", bearer("s3cret-admin-token")).status, 404);
  auto metrics = http_request("127.0.0.1", port, "GET", "/metrics", "", bearer("s3cret-admin-token"));
  EXPECT_NE(metrics.body.find("nebula_admin_unauthorized_total 11"), std::string::npos) << metrics.body;
}

// admin.public_probes: a load balancer's readiness probe needs no secret;
// nothing else opens up, and without the setting /readyz stays guarded.
TEST(AdminAuth, PublicProbesOpenReadyzAndNothingElse) {
  AdminPool pool("  port: 0\n  token: s3cret-admin-token\n  public_probes: true\n");
  ASSERT_TRUE(pool->start()) << pool->log();
  const auto port = pool->admin_port;
  EXPECT_EQ(http_request("127.0.0.1", port, "GET", "/healthz").status, 200);
  auto ready = http_request("127.0.0.1", port, "GET", "/readyz");
  EXPECT_EQ(ready.status, 200) << ready.body;
  EXPECT_EQ(nlohmann::json::parse(ready.body)["status"], "ready");
  for (const char* path : {"/metrics", "/api/v1/pool/stats", "/api/v1/plugins", "/readyz/x", "/no/such/path"})
    EXPECT_EQ(http_request("127.0.0.1", port, "GET", path).status, 401) << path;
  EXPECT_EQ(http_request("127.0.0.1", port, "POST", "/readyz").status, 401);  // only the probe itself
  EXPECT_EQ(http_request("127.0.0.1", port, "GET", "/api/v1/pool/stats", "", bearer("s3cret-admin-token")).status, 200);
}

TEST(AdminAuth, PublicProbesMustBeABoolean) {
  nebula_test::TempDir dir("public-probes");
  const auto yaml = dir.write("pipeline.yaml", "plugins:\n  paths: [\"" NEBULA_BINARY_DIR "/test-plugins\"]\n"
                                               "admin:\n  token: t\n  public_probes: sometimes\n" + kComponents);
  auto [code, out] = nebula_test::run_and_capture(std::string(NEBULA_POOL_BIN) + " validate -c " + yaml.string());
  EXPECT_NE(code, 0);
  EXPECT_NE(out.find("pipeline.yaml:5:"), std::string::npos) << out;
  EXPECT_NE(out.find("admin.public_probes"), std::string::npos) << out;
}

TEST(AdminAuth, HttpsWithATokenFileBesideThePipeline) {
  const auto& pki = TestPki::shared();
  AdminPool pool("  port: 0\n  token_file: secrets/admin.token\n  tls: {cert: \"" + pki.server_cert + "\", key: \"" +
                 pki.server_key + "\"}\n");
  pool->dir.write("secrets/admin.token", "file-token\n");  // relative to the pipeline file; newline trimmed
  ASSERT_TRUE(pool->start()) << pool->log();
  const auto port = pool->admin_port;
  EXPECT_EQ(pool->endpoints["admin"]["tls"], true);

  std::string why;
  auto health = https_request(port, "GET", "/healthz", {pki.ca, "", ""}, {}, &why);
  ASSERT_TRUE(health) << why;
  EXPECT_EQ(health->status, 200);
  auto refused = https_request(port, "GET", "/api/v1/pool/stats", {pki.ca, "", ""}, {}, &why);
  ASSERT_TRUE(refused) << why;
  EXPECT_EQ(refused->status, 401);
  auto ok = https_request(port, "GET", "/api/v1/pool/stats", {pki.ca, "", ""}, bearer("file-token"), &why);
  ASSERT_TRUE(ok) << why;
  EXPECT_EQ(ok->status, 200);

  EXPECT_FALSE(https_request(port, "GET", "/healthz", {pki.other_ca, "", ""}, {}, &why));  // does not trust us
  EXPECT_THROW(http_request("127.0.0.1", port, "GET", "/healthz"), std::exception);        // plain HTTP
}

TEST(AdminAuth, MutualTlsRequiresAClientCertificate) {
  const auto& pki = TestPki::shared();
  AdminPool pool("  port: 0\n  tls:\n    cert: \"" + pki.server_cert + "\"\n    key: \"" + pki.server_key +
                 "\"\n    client_ca: \"" + pki.ca + "\"\n");
  ASSERT_TRUE(pool->start()) << pool->log();
  std::string why;
  EXPECT_FALSE(https_request(pool->admin_port, "GET", "/healthz", {pki.ca, "", ""}, {}, &why));
  EXPECT_FALSE(https_request(pool->admin_port, "GET", "/healthz", {pki.ca, pki.other_client_cert, pki.other_client_key}));
  auto ok = https_request(pool->admin_port, "GET", "/api/v1/pool/stats", {pki.ca, pki.client_cert, pki.client_key},
                          {}, &why);
  ASSERT_TRUE(ok) << why;
  EXPECT_EQ(ok->status, 200);
}

TEST(AdminAuth, ValidateReportsUnusableAdminSecurityFilesAtTheirKey) {
  const auto& pki = TestPki::shared();
  nebula_test::TempDir dir("admin-validate");
  auto check = [&](const std::string& admin, const std::string& expected) {
    auto yaml = dir.write("p.yaml", "plugins:\n  paths: [\"" NEBULA_BINARY_DIR "/test-plugins\"]\nadmin:\n" + admin +
                                        kComponents);
    auto [code, out] = nebula_test::run_and_capture(std::string(NEBULA_POOL_BIN) + " validate -c " + yaml.string());
    EXPECT_NE(code, 0) << admin;
    EXPECT_NE(out.find(expected), std::string::npos) << out;
  };
  const std::string p = dir.path().string() + "/p.yaml";
  check("  tls:\n    cert: missing.pem\n    key: \"" + pki.server_key + "\"\n",
        p + ":5:11: admin.tls.cert: cannot read '" + dir.path().string() + "/missing.pem'");
  check("  tls:\n    cert: \"" + pki.server_cert + "\"\n    key: \"" + pki.client_key + "\"\n",
        p + ":6:10: admin.tls.key: '" + pki.client_key + "' does not belong to the certificate");
  check("  tls:\n    cert: \"" + pki.server_cert + "\"\n    key: \"" + pki.server_key + "\"\n    client_ca: \"" +
            pki.not_pem + "\"\n",
        p + ":7:16: admin.tls.client_ca:");
  check("  tls: {cert: \"" + pki.server_cert + "\"}\n", p + ":4:3: admin.tls needs key");
  check("  token_file: nowhere.token\n", p + ":4:15: admin.token_file: cannot read");
  check("  token: a\n  token_file: nowhere.token\n", "give token or token_file, not both");
  check("  token: \"\"\n", "admin.token must be a non-empty string");
}
