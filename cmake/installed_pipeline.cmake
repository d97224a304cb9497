# nebula_installed_pipeline(<config/pipeline.yaml> <output>)
#
# Writes the pipeline an installed pool starts with: the shipped
# config/pipeline.yaml, one graph of components for both, with the paths of
# an installed tree instead of the source tree's:
#   - no plugins.paths: the host finds its own plugins in
#     <bin>/../lib/nebula/plugins (docs/install.md);
#   - state_dir and the file transport's spool under /var/lib/nebula, the
#     StateDirectory= of nebula-pool.service; still overridable with
#     NEBULA_STATE_DIR and NEBULA_SPOOL_DIR.
# Configure fails, naming the text, if config/pipeline.yaml no longer has
# something this rewrites, so the two cannot drift apart silently.
function(nebula_installed_pipeline source output)
  file(READ ${source} text)
  # Pairs of (text, replacement); not one list: the texts contain semicolons.
  set(from1 "# Paths are relative to this file; override with NEBULA_PLUGIN_DIR / NEBULA_STATE_DIR.\n")
  set(to1 "# Installed by the nebula-pool package (generated from config/pipeline.yaml):\n# plugins come from <bin>/../lib/nebula/plugins (add your own folders under\n# plugins.paths), state lives in /var/lib/nebula (override with NEBULA_STATE_DIR).\n")
  set(from2 "plugins:\n  paths:\n    - \${NEBULA_PLUGIN_DIR:-../build/plugins}\n")
  set(to2 "")
  set(from3 "state_dir: \${NEBULA_STATE_DIR:-../.state}\n")
  set(to3 "state_dir: \${NEBULA_STATE_DIR:-/var/lib/nebula}\n")
  set(from4 "\${NEBULA_SPOOL_DIR:-../.state/spool}")
  set(to4 "\${NEBULA_SPOOL_DIR:-/var/lib/nebula/spool}")
  foreach(i RANGE 1 4)
    string(FIND "${text}" "${from${i}}" at)
    if(at EQUAL -1)
      message(FATAL_ERROR "${source} no longer contains\n  ${from${i}}\n"
        "which cmake/installed_pipeline.cmake rewrites for the installed pipeline: update both.")
    endif()
    string(REPLACE "${from${i}}" "${to${i}}" text "${text}")
  endforeach()
  file(CONFIGURE OUTPUT ${output} CONTENT "${text}" @ONLY)
  # Editing config/pipeline.yaml regenerates it.
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${source})
endfunction()
