# nebula_add_plugin(<target> SOURCES <files...> [LINK <libs...>] [OUTPUT_DIRECTORY <dir>])
#
# Builds a Nebula Pool plugin: a MODULE library that exports only
# `nebula_plugin_entry` (visibility + version script), refuses undefined
# symbols at link time, and finds its own dependencies next to itself ($ORIGIN).
# Cached so the function sees it from any directory scope that calls it.
set(_NEBULA_PLUGIN_MAP "${CMAKE_CURRENT_LIST_DIR}/nebula_plugin.map" CACHE INTERNAL "")

function(nebula_add_plugin target)
  cmake_parse_arguments(ARG "" "OUTPUT_DIRECTORY" "SOURCES;LINK" ${ARGN})
  if(NOT ARG_SOURCES)
    message(FATAL_ERROR "nebula_add_plugin(${target}): SOURCES is required")
  endif()
  add_library(${target} MODULE ${ARG_SOURCES})
  target_link_libraries(${target} PRIVATE NebulaSDK::sdk ${ARG_LINK})
  target_compile_features(${target} PRIVATE cxx_std_20)
  set_target_properties(${target} PROPERTIES
    CXX_VISIBILITY_PRESET hidden
    C_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    BUILD_RPATH "$ORIGIN"
    INSTALL_RPATH "$ORIGIN"
    LINK_DEPENDS "${_NEBULA_PLUGIN_MAP}")
  target_link_options(${target} PRIVATE
    "LINKER:--version-script=${_NEBULA_PLUGIN_MAP}"
    "LINKER:--no-undefined")
  if(ARG_OUTPUT_DIRECTORY)
    set_target_properties(${target} PROPERTIES LIBRARY_OUTPUT_DIRECTORY "${ARG_OUTPUT_DIRECTORY}")
  elseif(DEFINED NEBULA_PLUGIN_OUTPUT_DIR)
    set_target_properties(${target} PROPERTIES LIBRARY_OUTPUT_DIRECTORY "${NEBULA_PLUGIN_OUTPUT_DIR}")
    # In-tree plugins are remembered so the conformance test can depend on them all.
    set_property(GLOBAL APPEND PROPERTY NEBULA_TREE_PLUGIN_TARGETS ${target})
  endif()
endfunction()
