#include "nebula_agents/federation_settings.hpp"

#include <filesystem>
#include <regex>

#include <nebula/config_helpers.hpp>

namespace nebula::agents {
namespace {

constexpr const char* kPrefix = "/federation";
constexpr double kMaxPeriod = 86400;

double default_max_age(double every_s) { return every_s > 0 ? 3 * every_s : 900; }
double default_settle(double every_s) { return every_s / 10; }

}  // namespace

void validate_federation(const nlohmann::json& cfg, ConfigErrors& errors) {
  if (!cfg.is_object() || !cfg.contains("federation")) return;
  const auto& f = cfg["federation"];
  if (!f.is_object()) {
    errors.add(kPrefix, "must be an object {dir, member, every_s, max_age_s, settle_s}");
    return;
  }
  config::reject_unknown_keys(f, {"dir", "member", "every_s", "max_age_s", "settle_s"}, errors, kPrefix);
  if (!f.contains("dir")) errors.add(kPrefix, "needs 'dir' (a directory every host shares)");
  else if (!f["dir"].is_string() || !std::filesystem::path(f["dir"].get<std::string>()).is_absolute())
    errors.add(std::string(kPrefix) + "/dir", "must be an absolute path shared by every host, got " + f["dir"].dump());
  // The member name becomes a file name; peers are told apart by it.
  static const std::regex kMember("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
  if (!f.contains("member")) errors.add(kPrefix, "needs 'member' (this host's name) when 'dir' is set");
  else if (!f["member"].is_string() || !std::regex_match(f["member"].get<std::string>(), kMember))
    errors.add(std::string(kPrefix) + "/member",
               "must be 1-64 characters of letters, digits, '_', '.', '-' (not starting with '.', '_' or '-'), got " +
                   f["member"].dump());
  const double every = config::number(f, "every_s", 300, 0, kMaxPeriod, &errors, kPrefix);
  if (every > 0 && every < 1) errors.add(std::string(kPrefix) + "/every_s", "must be 0 (rounds only on request) or at least 1");
  const double settle = config::number(f, "settle_s", default_settle(every), 0, 3600, &errors, kPrefix);
  const double max_age = config::number(f, "max_age_s", default_max_age(every), 1, 7 * kMaxPeriod, &errors, kPrefix);
  if (every > 0 && settle >= every)
    errors.add(std::string(kPrefix) + "/settle_s", "must be shorter than every_s (" + config::format_number(every) + ")");
  if (max_age <= settle)
    errors.add(std::string(kPrefix) + "/max_age_s", "must be longer than settle_s (" + config::format_number(settle) + ")");
}

FederationSettings parse_federation(const nlohmann::json& cfg) {
  FederationSettings s;
  if (!cfg.is_object() || !cfg.contains("federation") || !cfg["federation"].is_object()) return s;
  const auto& f = cfg["federation"];
  s.dir = config::text(f, "dir", "");
  s.member = config::text(f, "member", "");
  s.every_s = config::number(f, "every_s", s.every_s, 0, kMaxPeriod);
  s.settle_s = config::number(f, "settle_s", default_settle(s.every_s), 0, 3600);
  s.max_age_s = config::number(f, "max_age_s", default_max_age(s.every_s), 1, 7 * kMaxPeriod);
  return s;
}

}  // namespace nebula::agents
