# cmake -DIN=FILE -DOUT=FILE -P strip_annotations.cmake
#
# Copies one of etcd's API .proto files without what only its Go build needs:
# the gogoproto import and options, and the google.api HTTP annotations of
# the grpc-gateway. The messages, fields and services stay byte for byte, so
# the generated C++ speaks exactly etcd's wire format.
file(READ "${IN}" text)
string(REGEX REPLACE "import \"gogoproto/gogo.proto\";\n" "" text "${text}")
string(REGEX REPLACE "import \"google/api/annotations.proto\";\n" "" text
       "${text}")
string(REGEX REPLACE "option \\(gogoproto\\.[a-z_]+\\) = [a-z]+;\n" "" text
       "${text}")
# The HTTP rules nest one level (additional_bindings { ... }): inner first.
string(REGEX REPLACE "additional_bindings {[^{}]*}" "" text "${text}")
string(REGEX REPLACE "option \\(google\\.api\\.http\\) = {[^{}]*};" "" text
       "${text}")
string(REGEX REPLACE " *\\[\\(gogoproto\\.[^]]*\\]" "" text "${text}")
if(text MATCHES "gogoproto|google\\.api")
  message(FATAL_ERROR "${IN}: annotations left after stripping")
endif()
file(WRITE "${OUT}" "${text}")
