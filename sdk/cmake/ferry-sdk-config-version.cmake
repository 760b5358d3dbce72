# The version of the ferry SDK is the version of the plugin ABI it builds for, FERRY_ABI_MAJOR.MINOR as
# written in the abi.h beside this package (sdk/include in the source tree, PREFIX/include when installed).
#
# The compatibility rule of the ABI: a plugin built for ABI M.m loads into a host of ABI M.n when n >= m,
# and into no host of another major. So find_package(ferry-sdk M.m) accepts this SDK when its major is M
# and its minor is at least m. A plugin records the minor of the SDK it was built with: built with SDK 1.2
# it is refused by hosts of ABI 1.0 and 1.1, so build against the oldest SDK minor your hosts run.
if(EXISTS "${CMAKE_CURRENT_LIST_DIR}/../include/ferry/abi.h")
  set(_ferry_abi_header "${CMAKE_CURRENT_LIST_DIR}/../include/ferry/abi.h")
else()
  set(_ferry_abi_header "${CMAKE_CURRENT_LIST_DIR}/../../../include/ferry/abi.h")
endif()
file(STRINGS "${_ferry_abi_header}" _ferry_abi_major REGEX "^#define FERRY_ABI_MAJOR [0-9]+$")
file(STRINGS "${_ferry_abi_header}" _ferry_abi_minor REGEX "^#define FERRY_ABI_MINOR [0-9]+$")
string(REGEX REPLACE ".* " "" _ferry_abi_major "${_ferry_abi_major}")
string(REGEX REPLACE ".* " "" _ferry_abi_minor "${_ferry_abi_minor}")
set(PACKAGE_VERSION "${_ferry_abi_major}.${_ferry_abi_minor}")

if(NOT DEFINED PACKAGE_FIND_VERSION)
  set(PACKAGE_VERSION_COMPATIBLE TRUE)
elseif(PACKAGE_FIND_VERSION_MAJOR EQUAL _ferry_abi_major AND
       NOT PACKAGE_FIND_VERSION_MINOR GREATER _ferry_abi_minor)
  set(PACKAGE_VERSION_COMPATIBLE TRUE)
  if(PACKAGE_FIND_VERSION_MINOR EQUAL _ferry_abi_minor)
    set(PACKAGE_VERSION_EXACT TRUE)
  endif()
else()
  set(PACKAGE_VERSION_COMPATIBLE FALSE)
endif()
