# Where Foundry's anvil is, for the tests that start one (tests/e2e/real_chains_test.cpp,
# tests/node/ethereum_collector_test.cpp): $NEBULA_ANVIL, else what
# scripts/install-anvil installed (/opt/nebula-tools as root, .tools/ otherwise).
find_program(NEBULA_ANVIL_BIN anvil
  HINTS ENV NEBULA_ANVIL_DIR
  PATHS /opt/nebula-tools/node_modules/@foundry-rs/anvil-linux-amd64/bin
        ${CMAKE_SOURCE_DIR}/.tools/node_modules/@foundry-rs/anvil-linux-amd64/bin
  NO_CACHE)
if(DEFINED ENV{NEBULA_ANVIL})
  set(NEBULA_ANVIL_BIN $ENV{NEBULA_ANVIL})
elseif(NOT NEBULA_ANVIL_BIN)
  # Still built and run: the test fails and says how to install anvil.
  set(NEBULA_ANVIL_BIN /opt/nebula-tools/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil)
endif()
