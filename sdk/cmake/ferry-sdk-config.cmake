# CMake package for writing ferry plugins: find_package(ferry-sdk) gives the header-only target
# ferry::sdk and ferry_add_plugin(NAME SOURCES...). Works from the source tree (sdk/cmake) as well as
# from an installed prefix, because the headers are always found relative to this file.
include_guard(GLOBAL)

if(EXISTS "${CMAKE_CURRENT_LIST_DIR}/../include/ferry/abi.h")
  get_filename_component(_ferry_sdk_include "${CMAKE_CURRENT_LIST_DIR}/../include" ABSOLUTE)
else()
  get_filename_component(_ferry_sdk_include "${CMAKE_CURRENT_LIST_DIR}/../../../include" ABSOLUTE)
endif()

if(NOT TARGET ferry::sdk)
  add_library(ferry::sdk INTERFACE IMPORTED GLOBAL)
  set_target_properties(ferry::sdk PROPERTIES
    INTERFACE_INCLUDE_DIRECTORIES "${_ferry_sdk_include}"
    INTERFACE_COMPILE_FEATURES cxx_std_20)
endif()

# ferry_add_plugin(NAME SOURCES...): a shared object named NAME.so that exports only the plugin entry
# symbol. When FERRY_PLUGIN_OUTPUT_DIR is set, the .so lands there.
function(ferry_add_plugin name)
  add_library(${name} MODULE ${ARGN})
  target_link_libraries(${name} PRIVATE ferry::sdk)
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
  endif()
endfunction()
