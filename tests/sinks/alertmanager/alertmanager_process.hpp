// The real Alertmanager these tests start now lives in the shared test
// support (tests/support/nebula_test/alertmanager_process.hpp), which the
// end-to-end test uses too.
#pragma once

#include "nebula_test/alertmanager_process.hpp"

namespace alertmanager_test {
using nebula_test::alertmanager_binary;
using nebula_test::AlertmanagerProcess;
}  // namespace alertmanager_test
