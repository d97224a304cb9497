# What `cmake --install` lays out, in one place, split into the components
# CPack turns into Debian packages (cmake/NebulaPackaging.cmake):
#
#   pool        bin/nebula-pool, lib/nebula/plugins/ (processors, agents,
#               sinks), etc/nebula/pipeline.yaml, etc/default/nebula-pool,
#               lib/systemd/system/nebula-pool.service
#   transports  lib/nebula/plugins/libnebula_transport_*.so: the pool serves
#               with them, nodes deliver with them, so both packages need them
#   node        bin/nebula-node, lib/libnebula_node.so.0, share/nebula/mappings,
#               etc/default/nebula-node, lib/systemd/system/nebula-node.service
#   sdk         headers, NebulaSDK CMake package, topic schemas (sdk/CMakeLists.txt),
#               nebula/version.hpp, nebula_node.h, the libnebula_node.so link
#
# Included last by the top CMakeLists.txt, once every target exists.
# docs/install.md describes the result.

set(NEBULA_COMPONENTS pool transports node sdk)

install(TARGETS nebula-pool RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT pool)

# Every in-tree plugin (nebula_add_plugin without OUTPUT_DIRECTORY; test
# fixtures have one and are left out).
get_property(_nebula_plugins GLOBAL PROPERTY NEBULA_TREE_PLUGIN_TARGETS)
foreach(_plugin IN LISTS _nebula_plugins)
  if(_plugin MATCHES "^nebula_transport_")
    set(_component transports)
  else()
    set(_component pool)
  endif()
  install(TARGETS ${_plugin} LIBRARY DESTINATION ${NEBULA_PLUGIN_INSTALL_DIR} COMPONENT ${_component})
endforeach()

if(TARGET nebula-node)
  install(TARGETS nebula-node RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT node)
  install(TARGETS nebula_node LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT node NAMELINK_COMPONENT sdk)
  install(FILES ${CMAKE_SOURCE_DIR}/node/client/include/nebula_node.h
    DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT sdk)
  install(DIRECTORY ${CMAKE_SOURCE_DIR}/node/cli/mappings/
    DESTINATION ${CMAKE_INSTALL_DATADIR}/nebula/mappings COMPONENT node)
endif()

install(FILES ${NEBULA_GENERATED_INCLUDE_DIR}/nebula/version.hpp
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/nebula COMPONENT sdk)

# The installed default pipeline: config/pipeline.yaml with the paths of an
# installed tree (cmake/installed_pipeline.cmake says which and why).
include(${CMAKE_CURRENT_LIST_DIR}/installed_pipeline.cmake)
nebula_installed_pipeline(${CMAKE_SOURCE_DIR}/config/pipeline.yaml
  ${CMAKE_BINARY_DIR}/installed/pipeline.yaml)

# Files that name other installed paths (the units' ExecStart, the config
# folder) are written at install time, when the prefix is known: /usr for
# the packages (CPACK_SET_DESTDIR), anything for `cmake --install --prefix`.
set(_service_script ${CMAKE_CURRENT_LIST_DIR}/install_service_files.cmake)
set(_service_args
  "set(NEBULA_SOURCE_DIR \"${CMAKE_SOURCE_DIR}\")
   set(NEBULA_BINARY_DIR \"${CMAKE_BINARY_DIR}\")
   set(NEBULA_BINDIR \"${CMAKE_INSTALL_BINDIR}\")
   set(NEBULA_DATADIR \"${CMAKE_INSTALL_DATADIR}\")")
install(CODE "${_service_args}
  set(NEBULA_SERVICE nebula-pool)
  set(NEBULA_ETC_FILES \"${CMAKE_BINARY_DIR}/installed/pipeline.yaml\")
  include(\"${_service_script}\")" COMPONENT pool)
install(CODE "${_service_args}
  set(NEBULA_SERVICE nebula-node)
  set(NEBULA_ETC_FILES \"\")
  include(\"${_service_script}\")" COMPONENT node)
