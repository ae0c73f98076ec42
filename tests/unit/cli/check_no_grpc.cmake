# cmake -DBINARY=path/to/xmppfed -P check_no_grpc.cmake
# Fails when the front end links gRPC, protobuf or abseil: they belong in the
# xmppfed-rpc only.
execute_process(COMMAND ldd ${BINARY} OUTPUT_VARIABLE libs
                RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "ldd ${BINARY} failed:\n${libs}")
endif()
if(libs MATCHES "libgrpc|libprotobuf|libabsl|libgpr")
  message(FATAL_ERROR "${BINARY} links gRPC/protobuf:\n${libs}")
endif()
message(STATUS "${BINARY} links:\n${libs}")
