# Debian packages from the install components (cmake/NebulaInstall.cmake):
#
#   nebula-pool        the pool host, its processors, agents and sinks, the
#                      default pipeline, nebula-pool.service
#   nebula-node        the node CLI and libnebula_node, nebula-node.service
#   nebula-transports  the transport plugins both of them load (a fourth
#                      package because two packages cannot own one file)
#   nebula-sdk-dev     headers, CMake package and schemas for plugin authors
#
#   cd build && cpack -G DEB          (packages land in build/, or -B <dir>)
#
# Depends come from dpkg-shlibdeps on the stripped binaries and plugins (so
# the agents' libtorch1.13, the sinks' libsqlite3-0 and libpq5, ... are
# whatever the build linked), plus the packages' links to each other at the
# exact same version. docs/install.md lists the result.

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME nebula)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "Nebula Pool")
set(CPACK_PACKAGE_CONTACT "Nebula Pool maintainers <maintainers@nebula-pool.invalid>")
set(CPACK_COMPONENTS_ALL ${NEBULA_COMPONENTS})

# Packages install under /usr with /etc for configuration:
# cmake/install_service_files.cmake reads the prefix at install time, so
# DESTDIR staging is needed for the absolute /etc paths.
set(CPACK_SET_DESTDIR ON)
set(CPACK_INSTALL_PREFIX /usr)  # the prefix with CPACK_SET_DESTDIR
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
# RelWithDebInfo binaries are ~600 MB with their debug info; packaged stripped.
set(CPACK_STRIP_FILES ON)

set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# A shlibs entry for every library with a SONAME (only libnebula_node.so.0;
# plugins have none), so programs linking it depend on nebula-node.
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_ENABLE_COMPONENT_DEPENDS OFF)  # the Depends below say it exactly
set(_exact "(= ${CPACK_PACKAGE_VERSION})")

set(CPACK_DEBIAN_POOL_PACKAGE_NAME nebula-pool)
set(CPACK_DEBIAN_POOL_DESCRIPTION
  "Nebula Pool host, processors, agents and sinks\nThe nebula-pool daemon, its plugins, a default pipeline in /etc/nebula\nand the nebula-pool.service systemd unit (Type=notify, watchdog).")
set(CPACK_DEBIAN_POOL_PACKAGE_DEPENDS "nebula-transports ${_exact}")
set(CPACK_DEBIAN_POOL_PACKAGE_SUGGESTS "nebula-node")

set(CPACK_DEBIAN_TRANSPORTS_PACKAGE_NAME nebula-transports)
set(CPACK_DEBIAN_TRANSPORTS_DESCRIPTION
  "Nebula Pool transport plugins (HTTP, TCP, file, Redis)\nShared by the pool, which listens with them, and nebula-node, which\ndelivers with them.")

set(CPACK_DEBIAN_NODE_PACKAGE_NAME nebula-node)
set(CPACK_DEBIAN_NODE_DESCRIPTION
  "Nebula node agent and libnebula_node\nnebula-node streams a machine's metrics (or a simulated fleet) to a\nNebula Pool; nebula-node.service runs it under systemd.")
set(CPACK_DEBIAN_NODE_PACKAGE_DEPENDS "nebula-transports ${_exact}")

set(CPACK_DEBIAN_SDK_PACKAGE_NAME nebula-sdk-dev)
set(CPACK_DEBIAN_SDK_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_SDK_DESCRIPTION
  "Nebula Pool plugin SDK and node client headers\nThe plugin ABI and C++ layer, the mock host for plugin tests, the\nNebulaSDK CMake package (nebula_add_plugin), the insight topic schemas,\nand nebula_node.h with the libnebula_node.so link.")
# Headers only for plugins (nlohmann/json is part of their API); the
# libnebula_node.so link points into nebula-node.
set(CPACK_DEBIAN_SDK_PACKAGE_DEPENDS "nlohmann-json3-dev (>= 3), nebula-node ${_exact}")
set(CPACK_DEBIAN_SDK_PACKAGE_SHLIBDEPS OFF)

# /etc files are conffiles: an upgrade keeps the operator's edits.
file(WRITE ${CMAKE_BINARY_DIR}/packaging/pool/conffiles "/etc/nebula/pipeline.yaml\n/etc/default/nebula-pool\n")
file(WRITE ${CMAKE_BINARY_DIR}/packaging/node/conffiles "/etc/default/nebula-node\n")
set(CPACK_DEBIAN_POOL_PACKAGE_CONTROL_EXTRA ${CMAKE_BINARY_DIR}/packaging/pool/conffiles)
set(CPACK_DEBIAN_NODE_PACKAGE_CONTROL_EXTRA ${CMAKE_BINARY_DIR}/packaging/node/conffiles)

# systemd learns about the new or removed units; enabling them is the
# operator's choice (docs/install.md).
foreach(_component pool node)
  foreach(_script postinst postrm)
    file(WRITE ${CMAKE_BINARY_DIR}/packaging/${_component}/${_script}
      "#!/bin/sh\nset -e\nif [ -d /run/systemd/system ]; then systemctl daemon-reload || true; fi\n")
    file(CHMOD ${CMAKE_BINARY_DIR}/packaging/${_component}/${_script}
      PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
  endforeach()
endforeach()
list(APPEND CPACK_DEBIAN_POOL_PACKAGE_CONTROL_EXTRA
  ${CMAKE_BINARY_DIR}/packaging/pool/postinst ${CMAKE_BINARY_DIR}/packaging/pool/postrm)
list(APPEND CPACK_DEBIAN_NODE_PACKAGE_CONTROL_EXTRA
  ${CMAKE_BINARY_DIR}/packaging/node/postinst ${CMAKE_BINARY_DIR}/packaging/node/postrm)

include(CPack)
