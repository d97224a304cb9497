# nebula_use_contract_support(<test target>)
# For tests that run real plugins on the fleet simulator and hold their
# insights to the topic schemas: the helpers in this folder, the schemas
# (NEBULA_SCHEMA_DIR) and the simulator.
include_guard(GLOBAL)

function(nebula_use_contract_support target)
  target_include_directories(${target} PRIVATE ${CMAKE_CURRENT_FUNCTION_LIST_DIR})
  target_link_libraries(${target} PRIVATE NebulaSDK::schemas nebula_sim)
endfunction()
