# cmake -DBINARY=path/to/xmppfed -DLIBEXECDIR=... -DWORK_DIR=... -P ...
# A front end without xmppfed-rpc must say where it looked and exit 1, while
# verbs that need no agent keep working.
if(EXISTS ${LIBEXECDIR}/xmppfed-rpc)
  message(STATUS "an installed xmppfed-rpc exists in ${LIBEXECDIR}; nothing to test")
  return()
endif()
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})
file(COPY ${BINARY} DESTINATION ${WORK_DIR})
get_filename_component(name ${BINARY} NAME)
execute_process(COMMAND ${WORK_DIR}/${name} --socket /nonexistent.sock get-agent
                RESULT_VARIABLE code ERROR_VARIABLE err)
if(NOT code EQUAL 1 OR NOT err MATCHES "cannot find xmppfed-rpc.*${WORK_DIR}/xmppfed-rpc.*${LIBEXECDIR}/xmppfed-rpc")
  message(FATAL_ERROR "exit ${code}, stderr: ${err}")
endif()
execute_process(COMMAND ${WORK_DIR}/${name} version RESULT_VARIABLE code)
if(NOT code EQUAL 0)
  message(FATAL_ERROR "version needs xmppfed-rpc: exit ${code}")
endif()
file(REMOVE_RECURSE ${WORK_DIR})
