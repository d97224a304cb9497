# ctest fixture `nebula_packages` (tests/packaging/CMakeLists.txt): builds the
# Debian packages of this build tree with CPack, once for every test that
# needs them, into OUT (emptied first so no stale package is tested).
#   cmake -DCPACK=<cpack> -DCONFIG=<build>/CPackConfig.cmake -DOUT=<dir> -P build_packages.cmake
file(REMOVE_RECURSE ${OUT})
file(MAKE_DIRECTORY ${OUT})
execute_process(COMMAND ${CPACK} -G DEB --config ${CONFIG} -B ${OUT}
  RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "cpack failed (${result}):\n${output}")
endif()
file(GLOB debs ${OUT}/*.deb)
list(LENGTH debs count)
message(STATUS "${count} packages in ${OUT}:\n${output}")
if(count LESS 4)
  message(FATAL_ERROR "cpack made ${count} packages, expected nebula-pool, nebula-node, nebula-transports, nebula-sdk-dev")
endif()
