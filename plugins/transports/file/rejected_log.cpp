#include "rejected_log.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include <nebula/host.hpp>

namespace nebula::transport::file {

nlohmann::json reason_from_body(std::string_view body) {
  if (body.empty()) return "rejected by the host (no reason given)";
  auto doc = nlohmann::json::parse(body, nullptr, false);
  return doc.is_discarded() ? nlohmann::json(std::string(body)) : doc;
}

void RejectedLog::append(const std::string& spool_path, uint64_t offset, std::string_view line,
                         const nlohmann::json& reason) const {
  const double now =
      std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  const std::string entry = nlohmann::json{{"time", now},
                                           {"path", spool_path},
                                           {"offset", offset},
                                           {"line", std::string(line)},
                                           {"reason", reason}}
                                .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) +
                            "\n";
  int fd = ::open(file_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) throw Error(NEBULA_IO, "cannot open " + file_.string() + ": " + std::strerror(errno));
  ssize_t n;
  do n = ::write(fd, entry.data(), entry.size());
  while (n < 0 && errno == EINTR);
  const int saved = errno;
  ::close(fd);
  if (n != static_cast<ssize_t>(entry.size()))
    throw Error(NEBULA_IO, "cannot append to " + file_.string() + ": " + std::strerror(n < 0 ? saved : ENOSPC));
}

}  // namespace nebula::transport::file
