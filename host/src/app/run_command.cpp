// `nebula-pool run`: start the admin API (answering "starting"), build and
// start the pipeline, then wait for SIGTERM/SIGINT and shut down in order,
// bounded by the configured timeout. SIGHUP reloads the pipeline file
// (admin_reload.hpp) and never stops the pool.
#include <signal.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <condition_variable>
#include <filesystem>
#include <csignal>
#include <fstream>
#include <iostream>
#include <mutex>
#include <optional>
#include <thread>

#include "app/admin_api.hpp"
#include "app/admin_reload.hpp"
#include "app/commands.hpp"
#include "app/pipeline_loader.hpp"
#include "app/pool_health.hpp"
#include "app/systemd_notify.hpp"

namespace nebula::host {
namespace {

// Kills the process if shutdown overruns its budget: a stuck plugin must not
// keep the host from exiting (the WAL keeps what was accepted).
class ShutdownWatchdog {
 public:
  explicit ShutdownWatchdog(std::chrono::milliseconds budget)
      : thread_([this, budget] {
          std::unique_lock lock(mu_);
          if (!cv_.wait_for(lock, budget, [&] { return done_; })) {
            spdlog::critical("shutdown did not finish within {} ms; exiting with status 3", budget.count());
            spdlog::default_logger()->flush();
            ::_exit(3);
          }
        }) {}
  ~ShutdownWatchdog() {
    {
      std::lock_guard lock(mu_);
      done_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;
  std::thread thread_;
};

void write_endpoints(const PipelineConfig& cfg, uint16_t admin_port, const nlohmann::json& transports) {
  nlohmann::json doc{{"pid", ::getpid()},
                     {"admin", {{"address", cfg.admin.address}, {"port", admin_port}, {"tls", !cfg.admin.tls.cert.empty()}}},
                     {"transports", transports}};
  auto path = std::filesystem::path(cfg.state_dir) / "endpoints.json";
  auto tmp = path.string() + ".tmp";
  std::ofstream(tmp) << doc.dump(2) << "\n";
  std::filesystem::rename(tmp, path);
}

void set_log_level(const std::string& level) {
  spdlog::set_level(spdlog::level::from_str(level));
  // Local time with its UTC offset (%z: +hh:mm), so lines from hosts in other
  // zones, or across a DST change, still order (nebula-node logs the same way).
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %^%l%$ %v");
}

}  // namespace

int run_command(const std::string& config_path) {
  // Read (and cleared) before any thread starts: setenv is not thread-safe.
  const SystemdNotifier systemd = SystemdNotifier::from_environment();
  const auto watchdog_timeout = watchdog_timeout_from_environment();
  // Block the stop and reload signals in every thread; the main thread waits
  // for them (a SIGHUP during startup waits, pending, until the pool runs).
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  // A file size limit must surface as a write error (the WAL answers 503),
  // not kill the process.
  std::signal(SIGXFSZ, SIG_IGN);

  LoadedPipeline pipeline;
  load_pipeline(config_path, pipeline);
  set_log_level(pipeline.config.log_level);
  for (const auto& e : pipeline.registry.errors()) spdlog::warn("plugin {} refused: {}", e.file, e.message);
  if (report_problems(pipeline, false)) {
    std::cerr << config_path << ": invalid pipeline; nothing started\n";
    return 2;
  }
  std::error_code ec;
  std::filesystem::create_directories(pipeline.config.state_dir, ec);
  if (ec) {
    spdlog::critical("cannot create state dir {}: {}", pipeline.config.state_dir, ec.message());
    return 2;
  }

  Metrics metrics;
  AdminContext admin_ctx{metrics, pipeline.registry};
  std::unique_ptr<http::Server> admin;
  uint16_t admin_port = 0;
  if (pipeline.config.admin.enabled) {
    const http::ServerOptions opts = admin_server_options(pipeline.config.admin, admin_ctx);
    admin = std::make_unique<http::Server>(opts);
    register_admin_routes(*admin, admin_ctx);
    try {
      admin->start();
    } catch (const std::exception& e) {
      spdlog::critical("admin API: {}", e.what());
      return 2;
    }
    admin_port = admin->port();
    spdlog::info("admin API on {}://{}:{}{}", opts.tls.enabled() ? "https" : "http", opts.address, admin_port,
                 opts.guard ? " (bearer token required)" : "");
  }

  auto runtime = std::make_unique<Runtime>(pipeline.config, pipeline.registry, metrics);
  auto fail = [&](const std::vector<std::string>& errors, const char* stage) {
    for (const auto& e : errors) spdlog::critical("{}", e);
    spdlog::critical("{} failed; shutting down", stage);
    runtime->shutdown();
    if (admin) admin->stop();
    return 2;
  };
  if (auto errors = runtime->create(); !errors.empty()) return fail(errors, "creating components");
  admin_ctx.runtime = runtime.get();
  if (auto errors = runtime->start(); !errors.empty()) return fail(errors, "starting the pipeline");
  write_endpoints(pipeline.config, admin_port, runtime->endpoints());
  spdlog::info("nebula-pool ready: {} components from {}", pipeline.config.components.size(), config_path);
  systemd.send("READY=1\nSTATUS=running " + std::to_string(pipeline.config.components.size()) + " components");
  std::optional<WatchdogPinger> watchdog_pings;
  if (watchdog_timeout)
    watchdog_pings.emplace(systemd, *watchdog_timeout, [&, max_silence = *watchdog_timeout / 2 + pipeline.config.pool.batch_max_wait] {
      return why_unhealthy(admin_ctx.runtime.load(), max_silence);
    });

  PipelineReloader reloader(config_path, pipeline.registry, metrics, [&](Runtime& rt) {
    write_endpoints(pipeline.config, admin_port, rt.endpoints());
  });
  admin_ctx.reloader = &reloader;
  int sig = 0;
  while (sigwait(&stop_signals, &sig) == 0 && sig == SIGHUP) {
    systemd.send("RELOADING=1\nSTATUS=reloading the pipeline");  // systemctl status shows it until READY=1
    reloader.reload(*runtime, "SIGHUP");
    systemd.send("READY=1\nSTATUS=running");
  }
  admin_ctx.reloader = nullptr;
  spdlog::info("received {}; draining (timeout {} ms)", sig == SIGTERM ? "SIGTERM" : "SIGINT",
               pipeline.config.shutdown_timeout.count());
  watchdog_pings.reset();  // draining is bounded by shutdown.timeout_ms (TimeoutStopSec), not pinged
  systemd.send("STOPPING=1\nSTATUS=draining");
  {
    ShutdownWatchdog watchdog(pipeline.config.shutdown_timeout);
    admin_ctx.draining = true;
    runtime->shutdown();
    admin_ctx.runtime = nullptr;
    runtime.reset();
    if (admin) admin->stop();
  }
  spdlog::info("shutdown complete");
  return 0;
}

}  // namespace nebula::host
