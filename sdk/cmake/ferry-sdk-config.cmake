# CMake package for writing ferry plugins: find_package(ferry-sdk) gives the header-only target
# ferry::sdk, the format libraries of protocol majors 1 and 2 (ferry::codec-v1, ferry::codec-v2), the
# whole-file digest (ferry::digest, when OpenSSL is found) and ferry_add_plugin(NAME SOURCES...). The
# package's version is the plugin ABI's (see ferry-sdk-config-version.cmake for the compatibility rule).
#
# Works from the source tree (sdk/cmake) as well as from an installed prefix (PREFIX/share/ferry-sdk/cmake,
# with the headers in PREFIX/include/ferry and the library sources in PREFIX/share/ferry-sdk/lib), because
# everything is found relative to this file.
include_guard(GLOBAL)

if(EXISTS "${CMAKE_CURRENT_LIST_DIR}/../include/ferry/abi.h")
  get_filename_component(_ferry_sdk_include "${CMAKE_CURRENT_LIST_DIR}/../include" ABSOLUTE)
else()
  get_filename_component(_ferry_sdk_include "${CMAKE_CURRENT_LIST_DIR}/../../../include" ABSOLUTE)
endif()
get_filename_component(_ferry_sdk_lib "${CMAKE_CURRENT_LIST_DIR}/../lib" ABSOLUTE)

if(NOT TARGET ferry::sdk)
  add_library(ferry::sdk INTERFACE IMPORTED GLOBAL)
  set_target_properties(ferry::sdk PROPERTIES
    INTERFACE_INCLUDE_DIRECTORIES "${_ferry_sdk_include}"
    INTERFACE_COMPILE_FEATURES cxx_std_20)
endif()

# GCC marks the function-local statics of inline functions (libstdc++'s std::to_string has some) as
# STB_GNU_UNIQUE symbols, and the dynamic loader never unloads an object that has one: a codec removed by
# a reload would stay mapped for the life of the process. Plain weak symbols instead keep plugins
# unloadable; with hidden visibility and RTLD_LOCAL nothing relies on the uniqueness. (Spelled out in each
# target, since a function may be called where this file's variables are not in scope.)

# ferry_add_plugin(NAME SOURCES...): a shared object named NAME.so that exports only the plugin entry
# symbol and can be unloaded. When FERRY_PLUGIN_OUTPUT_DIR is set, the .so lands there. `cmake --install`
# puts it in FERRY_PLUGIN_INSTALL_DIR, by default lib/ferry/plugins below the install prefix: the directory
# that a ferry binary installed in the same prefix reads (PREFIX/bin/../lib/ferry/plugins).
function(ferry_add_plugin name)
  add_library(${name} MODULE ${ARGN})
  target_link_libraries(${name} PRIVATE ferry::sdk)
  target_compile_options(${name} PRIVATE "$<$<COMPILE_LANG_AND_ID:CXX,GNU>:-fno-gnu-unique>")
  set_target_properties(${name} PROPERTIES
    PREFIX ""
    CXX_VISIBILITY_PRESET hidden
    C_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  if(DEFINED FERRY_PLUGIN_OUTPUT_DIR)
    set_target_properties(${name} PROPERTIES LIBRARY_OUTPUT_DIRECTORY "${FERRY_PLUGIN_OUTPUT_DIR}")
  endif()
  if(DEFINED FERRY_PLUGIN_INSTALL_DIR)
    install(TARGETS ${name} LIBRARY DESTINATION "${FERRY_PLUGIN_INSTALL_DIR}")
  else()
    install(TARGETS ${name} LIBRARY DESTINATION lib/ferry/plugins)
  endif()
endfunction()

# ferry::codec-v1: the wire format of protocol major 1 (both modes), shipped as sources so that every codec
# plugin of major 1 compiles the same format into itself and stays a self-contained shared object. Built
# once per build tree, position-independent, with hidden symbols so that two codecs never share one copy.
if(NOT TARGET ferry-codec-v1)
  add_library(ferry-codec-v1 STATIC
    ${_ferry_sdk_lib}/codec_v1/schema.cpp
    ${_ferry_sdk_lib}/codec_v1/utf8.cpp
    ${_ferry_sdk_lib}/codec_v1/field_writer.cpp
    ${_ferry_sdk_lib}/codec_v1/field_reader.cpp
    ${_ferry_sdk_lib}/codec_v1/encoder.cpp
    ${_ferry_sdk_lib}/codec_v1/header_reader.cpp
    ${_ferry_sdk_lib}/codec_v1/decoder.cpp
    ${_ferry_sdk_lib}/codec_v1/frame.cpp
    ${_ferry_sdk_lib}/codec_v1/rolling_encoder.cpp
    ${_ferry_sdk_lib}/codec_v1/rolling_header_reader.cpp
    ${_ferry_sdk_lib}/codec_v1/rolling_decoder.cpp
    ${_ferry_sdk_lib}/codec_v1/open_stream.cpp)
  add_library(ferry::codec-v1 ALIAS ferry-codec-v1)
  target_include_directories(ferry-codec-v1 PUBLIC "${_ferry_sdk_lib}")
  target_link_libraries(ferry-codec-v1 PUBLIC ferry::sdk)
  target_compile_features(ferry-codec-v1 PUBLIC cxx_std_20)
  target_compile_options(ferry-codec-v1 PRIVATE "$<$<COMPILE_LANG_AND_ID:CXX,GNU>:-fno-gnu-unique>")
  set_target_properties(ferry-codec-v1 PROPERTIES
    POSITION_INDEPENDENT_CODE ON
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
endif()

# ferry::codec-v2: the wire format of protocol major 2, built on the field readers and writers of major 1.
if(NOT TARGET ferry-codec-v2)
  add_library(ferry-codec-v2 STATIC
    ${_ferry_sdk_lib}/codec_v2/schema.cpp
    ${_ferry_sdk_lib}/codec_v2/encoder.cpp
    ${_ferry_sdk_lib}/codec_v2/header_reader.cpp
    ${_ferry_sdk_lib}/codec_v2/open_stream.cpp)
  add_library(ferry::codec-v2 ALIAS ferry-codec-v2)
  target_link_libraries(ferry-codec-v2 PUBLIC ferry-codec-v1)
  target_compile_options(ferry-codec-v2 PRIVATE "$<$<COMPILE_LANG_AND_ID:CXX,GNU>:-fno-gnu-unique>")
  set_target_properties(ferry-codec-v2 PROPERTIES
    POSITION_INDEPENDENT_CODE ON
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
endif()

# ferry::digest: SHA-256, the whole-file digest of streaming (sdk/lib/digest/sha256.hpp), and HMAC-SHA-256
# (hmac_sha256.hpp), over OpenSSL's libcrypto. Shipped as a source like the codec libraries, and defined only where libcrypto's development
# files are found, so plugins that do not use it build without OpenSSL.
if(NOT TARGET ferry-digest)
  find_package(OpenSSL 3 QUIET COMPONENTS Crypto)
  if(OpenSSL_FOUND)
    add_library(ferry-digest STATIC ${_ferry_sdk_lib}/digest/sha256.cpp ${_ferry_sdk_lib}/digest/hmac_sha256.cpp)
    add_library(ferry::digest ALIAS ferry-digest)
    target_include_directories(ferry-digest PUBLIC "${_ferry_sdk_lib}")
    target_link_libraries(ferry-digest PUBLIC OpenSSL::Crypto)
    target_compile_features(ferry-digest PUBLIC cxx_std_20)
    target_compile_options(ferry-digest PRIVATE "$<$<COMPILE_LANG_AND_ID:CXX,GNU>:-fno-gnu-unique>")
    set_target_properties(ferry-digest PROPERTIES
      POSITION_INDEPENDENT_CODE ON
      CXX_VISIBILITY_PRESET hidden
      VISIBILITY_INLINES_HIDDEN ON)
  endif()
endif()
