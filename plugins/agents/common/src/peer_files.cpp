#include "nebula_agents/peer_files.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cstdio>

#include <nebula/atomic_file.hpp>
#include <nebula/host.hpp>

namespace nebula::agents {
namespace {

constexpr uintmax_t kMaxFileBytes = uintmax_t{64} << 20;  // far above any agent's parameters

std::string seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.0f s", s);
  return buf;
}

}  // namespace

PeerScan scan_peers(const std::filesystem::path& kind_dir, const std::string& self, const std::string& agent_id,
                    const Architecture& arch, double now_unix, double max_age_s) {
  PeerScan scan;
  std::error_code ec;
  std::filesystem::directory_iterator it(kind_dir, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    const auto& path = it->path();
    if (path.extension() != ".params") continue;  // e.g. a writer's "<member>.params.tmp"
    const std::string member = path.stem().string();
    if (member == self) continue;
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
    const double age = now_unix - (static_cast<double>(st.st_mtim.tv_sec) + static_cast<double>(st.st_mtim.tv_nsec) * 1e-9);
    if (age > max_age_s) {
      scan.skipped.push_back({member, "stale (" + seconds(age) + " old, max_age_s " + seconds(max_age_s) + ")", NEBULA_LOG_DEBUG});
      continue;
    }
    if (static_cast<uintmax_t>(st.st_size) > kMaxFileBytes) {
      scan.skipped.push_back({member, "file of " + std::to_string(st.st_size) + " bytes is too large", NEBULA_LOG_WARN});
      continue;
    }
    try {
      const auto bytes = read_file(path);
      if (!bytes) continue;  // removed since the listing
      Contribution c = decode_contribution(*bytes, agent_id);
      if (c.member != member) {
        scan.skipped.push_back({member, "file names member '" + c.member.substr(0, 64) + "'", NEBULA_LOG_WARN});
      } else if (!(c.architecture == arch)) {
        scan.skipped.push_back({member, "architecture " + c.architecture.describe() + " differs from ours (" +
                                            arch.describe() + "); only the same architecture can be averaged",
                                NEBULA_LOG_INFO});
      } else {
        scan.fresh.push_back(std::move(c));
      }
    } catch (const std::exception& e) {  // nebula::Error (damage) or a read error
      scan.skipped.push_back({member, e.what(), NEBULA_LOG_WARN});
    }
  }
  std::sort(scan.fresh.begin(), scan.fresh.end(),
            [](const Contribution& a, const Contribution& b) { return a.member < b.member; });
  return scan;
}

}  // namespace nebula::agents
