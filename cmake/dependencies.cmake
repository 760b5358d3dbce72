# Every dependency comes from Debian's packages. spdlog, fmt and toml++ are used header-only and Boost.DLL
# on std::filesystem, so the binary depends at run time only on libc, libstdc++, OpenSSL and SQLite.
find_package(Threads REQUIRED)
find_package(Boost 1.74 REQUIRED)
find_package(CLI11 2 REQUIRED)

add_library(ferry_third_party INTERFACE)
target_link_libraries(ferry_third_party INTERFACE Boost::headers Threads::Threads ${CMAKE_DL_LIBS})
target_compile_definitions(ferry_third_party INTERFACE
  SPDLOG_HEADER_ONLY SPDLOG_FMT_EXTERNAL FMT_HEADER_ONLY TOML_HEADER_ONLY=1 BOOST_DLL_USE_STD_FS)
