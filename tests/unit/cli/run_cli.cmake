# cmake -DBINARY=... -DEXPECTED_EXIT=N -DEXPECTED_REGEX=... -DARGS=a;b
#       -P run_cli.cmake
# Runs the CLI with stdin from /dev/null (no terminal) and checks its exit
# code and that stdout+stderr match the regex.
execute_process(COMMAND ${BINARY} ${ARGS}
                INPUT_FILE /dev/null
                OUTPUT_VARIABLE out ERROR_VARIABLE err
                RESULT_VARIABLE code)
if(NOT code EQUAL EXPECTED_EXIT)
  message(FATAL_ERROR "exit ${code}, expected ${EXPECTED_EXIT}\n"
                      "stdout: ${out}\nstderr: ${err}")
endif()
if(NOT "${out}${err}" MATCHES "${EXPECTED_REGEX}")
  message(FATAL_ERROR "output does not match '${EXPECTED_REGEX}'\n"
                      "stdout: ${out}\nstderr: ${err}")
endif()
