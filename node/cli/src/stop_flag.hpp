// SIGINT/SIGTERM end a command gracefully: the loop stops, the client flushes.
#pragma once

#include <chrono>

namespace nebula::node::cli {

void install_stop_handlers();
bool stop_requested();
// Sleeps up to d; returns false early once a stop was requested.
bool sleep_unless_stopped(std::chrono::steady_clock::duration d);

}  // namespace nebula::node::cli
