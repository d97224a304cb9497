# One version for everything: project(VERSION) and the plugin ABI macros of
# sdk/include/nebula/nebula_plugin.h go into a generated header that both
# binaries print from (--version) and the SDK installs; the install layout
# (where plugins live relative to the binaries) goes into a second one.
# Link nebula_build_info to see both:
#   #include "nebula/version.hpp"         nebula::version_line("nebula-pool")
#   #include "nebula/install_layout.hpp"  nebula::installed_plugin_dir()

# Plugins are private to the packages: /usr/lib/nebula/plugins, not the
# multiarch library folder (Debian policy allows /usr/lib/<package>), and the
# same relative path under any --prefix.
set(NEBULA_PLUGIN_INSTALL_DIR lib/nebula/plugins)
file(RELATIVE_PATH NEBULA_PLUGIN_DIR_FROM_BINDIR
  /prefix/${CMAKE_INSTALL_BINDIR} /prefix/${NEBULA_PLUGIN_INSTALL_DIR})

set(NEBULA_GENERATED_INCLUDE_DIR ${CMAKE_BINARY_DIR}/generated)
configure_file(${CMAKE_CURRENT_LIST_DIR}/version.hpp.in
  ${NEBULA_GENERATED_INCLUDE_DIR}/nebula/version.hpp @ONLY)
configure_file(${CMAKE_CURRENT_LIST_DIR}/install_layout.hpp.in
  ${NEBULA_GENERATED_INCLUDE_DIR}/nebula/install_layout.hpp @ONLY)

add_library(nebula_build_info INTERFACE)
target_include_directories(nebula_build_info INTERFACE ${NEBULA_GENERATED_INCLUDE_DIR})
# nebula/version.hpp includes nebula/nebula_plugin.h for the ABI macros.
target_include_directories(nebula_build_info INTERFACE ${CMAKE_SOURCE_DIR}/sdk/include)
