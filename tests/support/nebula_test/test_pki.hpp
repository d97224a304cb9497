// A throwaway PKI made with the openssl CLI when a test runs (no private key
// is ever committed): a CA with a server certificate for 127.0.0.1 and
// localhost and a client certificate, plus a second, unrelated CA with its
// own client certificate (for "signed by the wrong CA").
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "nebula_test/child_process.hpp"
#include "nebula_test/temp_dir.hpp"

namespace nebula_test {

class TestPki {
 public:
  std::string ca, server_cert, server_key, client_cert, client_key;
  std::string other_ca, other_client_cert, other_client_key;
  std::string not_pem;  // a file that exists but holds no PEM at all

  // One per test binary: key generation is the slow part.
  static const TestPki& shared() {
    static const TestPki pki;
    return pki;
  }

  // A transport server's `tls` config: this PKI's server pair, and with
  // `mutual` its CA as client_ca.
  nlohmann::json server_tls(bool mutual) const {
    nlohmann::json tls{{"cert", server_cert}, {"key", server_key}};
    if (mutual) tls["client_ca"] = ca;
    return tls;
  }

  TestPki() {
    ca = make_ca("ca", "Nebula Test CA");
    other_ca = make_ca("other-ca", "Some Other CA");
    issue("server", "localhost", "ca", "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth");
    server_cert = path("server.pem");
    server_key = path("server.key");
    issue("client", "node-a", "ca", "extendedKeyUsage=clientAuth");
    client_cert = path("client.pem");
    client_key = path("client.key");
    issue("other-client", "node-a", "other-ca", "extendedKeyUsage=clientAuth");
    other_client_cert = path("other-client.pem");
    other_client_key = path("other-client.key");
    not_pem = dir_.write("not.pem", "this is not a certificate\n").string();
  }

 private:
  std::string path(const std::string& name) const { return (dir_ / name).string(); }

  void run(const std::string& command) const {
    auto [code, out] = run_and_capture("cd '" + dir_.path().string() + "' && " + command);
    if (code != 0) throw std::runtime_error("openssl failed: " + command + "\n" + out);
  }

  std::string make_ca(const std::string& name, const std::string& cn) const {
    run("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -keyout " + name +
        ".key -out " + name + ".pem -subj '/CN=" + cn +
        "' -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign");
    return path(name + ".pem");
  }

  void issue(const std::string& name, const std::string& cn, const std::string& ca_name,
             const std::string& extensions) const {
    dir_.write(name + ".ext", "basicConstraints=CA:FALSE\n" + extensions + "\n");
    run("openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout " + name + ".key -out " + name +
        ".csr -subj '/CN=" + cn + "'");
    run("openssl x509 -req -in " + name + ".csr -CA " + ca_name + ".pem -CAkey " + ca_name +
        ".key -CAcreateserial -days 2 -out " + name + ".pem -extfile " + name + ".ext");
  }

  TempDir dir_{"nebula-pki"};
};

}  // namespace nebula_test
