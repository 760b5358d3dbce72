# Run by CPack on the staged files before it packs them (CPACK_PRE_BUILD_SCRIPTS): executables lose
# everything a program does not need; plugins lose their debug information but keep their symbol table,
# in which the plugin loader finds the entry symbol before it loads a file (lintian override in
# packaging/lintian/ferry).
file(GLOB_RECURSE _ferry_staged LIST_DIRECTORIES false "${CPACK_TEMPORARY_INSTALL_DIRECTORY}/*")
foreach(_file IN LISTS _ferry_staged)
  if(IS_SYMLINK "${_file}")
    continue()
  endif()
  file(READ "${_file}" _magic LIMIT 4 HEX)
  if(NOT _magic STREQUAL "7f454c46")
    continue()
  endif()
  if(_file MATCHES "/lib/ferry/plugins/[^/]+\\.so$")
    execute_process(COMMAND strip --strip-debug --remove-section=.comment "${_file}" COMMAND_ERROR_IS_FATAL ANY)
  else()
    execute_process(COMMAND strip --strip-unneeded --remove-section=.comment --remove-section=.note "${_file}"
      COMMAND_ERROR_IS_FATAL ANY)
  endif()
endforeach()
