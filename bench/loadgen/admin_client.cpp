#include "admin_client.hpp"

#include <cctype>
#include <stdexcept>

#include <nlohmann/json.hpp>

namespace nebula::bench {

bool AdminClient::try_get(const std::string& path, std::string& body) {
  if (!socket_) socket_ = std::make_unique<Socket>(port_);
  socket_->write_all("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n");
  std::string line;
  if (!socket_->read_line(line)) return false;  // closed while idle: reconnect
  if (line.find(" 200 ") == std::string::npos) throw std::runtime_error("GET " + path + ": " + line);
  size_t length = 0;
  bool close = false;
  while (socket_->read_line(line) && line != "\r" && !line.empty()) {
    std::string lower;
    for (char c : line) lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    if (lower.rfind("content-length:", 0) == 0) length = std::stoul(lower.substr(15));
    if (lower.rfind("connection: close", 0) == 0) close = true;
  }
  if (!socket_->read_exact(length, body)) return false;
  if (close) socket_.reset();
  return true;
}

std::string AdminClient::get(const std::string& path) {
  std::string body;
  for (int attempt = 0; attempt < 2; ++attempt) {
    try {
      if (try_get(path, body)) return body;
    } catch (const std::runtime_error& e) {
      if (std::string(e.what()).rfind("GET ", 0) == 0 || attempt == 1) throw;
    }
    socket_.reset();
  }
  throw std::runtime_error("GET " + path + ": connection closed");
}

uint64_t AdminClient::pool_counter(const std::string& field) {
  return nlohmann::json::parse(get("/api/v1/pool/stats")).at("pool").at(field).get<uint64_t>();
}

}  // namespace nebula::bench
