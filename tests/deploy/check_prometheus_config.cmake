# `promtool check config` on the shipped deploy/prometheus/prometheus.yml.
# promtool insists that the bearer token file the config names exists, so the
# check runs on a copy in the build tree whose only change is that path (to a
# placeholder token); the rule files are checked through it too.
#   cmake -DPROMTOOL=... -DSOURCE_DIR=<repo> -DWORK_DIR=<scratch dir> -P check_prometheus_config.cmake
set(_shipped_dir ${SOURCE_DIR}/deploy/prometheus)
file(REMOVE_RECURSE ${WORK_DIR})
file(COPY ${_shipped_dir}/ DESTINATION ${WORK_DIR})
file(READ ${_shipped_dir}/prometheus.yml _config)
set(_token_path /etc/prometheus/nebula-admin.token)
string(FIND "${_config}" "${_token_path}" _at)
if(_at EQUAL -1)
  message(FATAL_ERROR "prometheus.yml no longer names ${_token_path}: update ${CMAKE_CURRENT_LIST_FILE}")
endif()
string(REPLACE "${_token_path}" "${WORK_DIR}/nebula-admin.token" _config "${_config}")
file(WRITE ${WORK_DIR}/prometheus.yml "${_config}")
file(WRITE ${WORK_DIR}/nebula-admin.token "placeholder\n")
execute_process(COMMAND ${PROMTOOL} check config ${WORK_DIR}/prometheus.yml
  RESULT_VARIABLE _result OUTPUT_VARIABLE _out ERROR_VARIABLE _out)
message("${_out}")
if(NOT _result EQUAL 0)
  message(FATAL_ERROR "promtool check config failed (${_result})")
endif()
