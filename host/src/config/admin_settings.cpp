// The `admin` section: where the admin API listens and how it is protected
// (a bearer token, TLS). Relative file paths resolve against the YAML file's
// folder, like state_dir. Token and TLS files are read here, so `validate`
// reports an unreadable or unusable one at its key.
#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>

#include "config/settings_parse.hpp"
#include "http/security/tls_context.hpp"

namespace nebula::host {
namespace {

std::string trimmed(const std::string& s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return {};
  return s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1);
}

// The token in the file, without surrounding whitespace (editors add a newline).
void read_token_file(const MappingEntry& e, const std::filesystem::path& base_dir, AdminSettings& admin,
                     ParseContext& ctx) {
  auto path = read_text(e, "admin.token_file", ctx);
  if (!path) return;
  const std::string file = resolve_path(*path, base_dir);
  std::ifstream in(file);
  if (!in) return ctx.report(value_mark(e), "admin.token_file: cannot read '" + file + "': " + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  admin.token = trimmed(text.str());
  if (admin.token.empty()) ctx.report(value_mark(e), "admin.token_file: '" + file + "' holds no token");
}

void parse_tls(const MappingEntry& entry, const std::filesystem::path& base_dir, AdminSettings::Tls& tls,
               ParseContext& ctx) {
  if (!expect_mapping(entry, "admin.tls", ctx) || !entry.value.IsMap()) return;
  const size_t issues_before = ctx.issues().size();
  std::map<std::string, YAML::Mark> marks;
  for (const auto& e : read_entries(entry.value, "in admin.tls", {"cert", "key", "client_ca"}, ctx)) {
    auto path = read_text(e, "admin.tls." + e.key, ctx);
    if (!path) continue;
    (e.key == "cert" ? tls.cert : e.key == "key" ? tls.key : tls.client_ca) = resolve_path(*path, base_dir);
    marks[e.key] = value_mark(e);
  }
  for (const char* key : {"cert", "key"})
    if (!marks.contains(key)) ctx.report(entry.key_node.Mark(), std::string("admin.tls needs ") + key);
  if (ctx.issues().size() != issues_before) return;  // no file noise on top of a wrong key
  try {
    security::make_server_context({tls.cert, tls.key, tls.client_ca});
  } catch (const security::TlsFileError& e) {
    ctx.report(marks.at(e.field()), "admin.tls." + e.field() + ": " + e.what());
  }
}

}  // namespace

void parse_admin(const MappingEntry& entry, const std::filesystem::path& base_dir, PipelineConfig& config,
                 ParseContext& ctx) {
  AdminSettings& admin = config.admin;
  auto read = read_section(
      entry, {{"port", {0, 65535, [&](int64_t v) { admin.port = static_cast<uint16_t>(v); }}}},
      {{"enabled",
        [&](const MappingEntry& e) {
          if (auto v = read_bool(e, "admin.enabled", ctx)) admin.enabled = *v;
        }},
       {"address",
        [&](const MappingEntry& e) {
          if (auto v = read_text(e, "admin.address", ctx)) admin.address = *v;
        }},
       {"token",
        [&](const MappingEntry& e) {
          if (auto v = read_text(e, "admin.token", ctx)) admin.token = *v;
        }},
       {"token_file", [&](const MappingEntry& e) { read_token_file(e, base_dir, admin, ctx); }},
       {"public_probes",
        [&](const MappingEntry& e) {
          if (auto v = read_bool(e, "admin.public_probes", ctx)) admin.public_probes = *v;
        }},
       {"tls", [&](const MappingEntry& e) { parse_tls(e, base_dir, admin.tls, ctx); }}},
      ctx);
  if (read.contains("token") && read.contains("token_file"))
    ctx.report(read.at("token_file").key_node.Mark(), "admin: give token or token_file, not both");
}

}  // namespace nebula::host
