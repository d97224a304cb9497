// Registration: binds the spool tailer (server) and spool writer (client)
// to the plugin ABI.
#include <memory>
#include <mutex>

#include <nebula/plugin.hpp>

#include "file_config.hpp"
#include "spool_tailer.hpp"
#include "spool_writer.hpp"

namespace nebula::transport::file {

class FileTransport : public TransportServer {
 public:
  static constexpr PluginMeta meta{"nebula.transport.file", "File spool transport", "1.0.0",
                                   "Tails JSONL spool files (rotation and truncation aware, offsets persisted)"};
  using Client = SpoolWriter;

  static void validate(const nlohmann::json& cfg, ConfigErrors& errors) { read_server_config(cfg, errors); }

  FileTransport(Host host, const nlohmann::json& cfg) : TransportServer(std::move(host)) {
    ConfigErrors ignored;  // create() validated already
    tailer_ = std::make_unique<SpoolTailer>(this->host(), read_server_config(cfg, ignored));
  }
  ~FileTransport() override { stop(); }

  void start() override {
    std::lock_guard lock(mu_);
    tailer_->start();
  }
  void stop() override {
    std::lock_guard lock(mu_);
    tailer_->stop();
  }
  nlohmann::json describe() const override { return tailer_->describe(); }

 private:
  std::mutex mu_;
  std::unique_ptr<SpoolTailer> tailer_;
};

}  // namespace nebula::transport::file

NEBULA_PLUGINS(nebula::transport::file::FileTransport)
