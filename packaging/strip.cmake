# Run by CPack on the staged files before it packs them (CPACK_PRE_BUILD_SCRIPTS): executables and plugins
# lose everything a program does not need, as dh_strip would strip them, and the notes and comments too.
# Plugins keep their dynamic symbol table, which no strip removes: the loader finds the entry symbol there.
file(GLOB_RECURSE _ferry_staged LIST_DIRECTORIES false "${CPACK_TEMPORARY_INSTALL_DIRECTORY}/*")
foreach(_file IN LISTS _ferry_staged)
  if(IS_SYMLINK "${_file}")
    continue()
  endif()
  file(READ "${_file}" _magic LIMIT 4 HEX)
  if(NOT _magic STREQUAL "7f454c46")
    continue()
  endif()
  execute_process(COMMAND strip --strip-unneeded --remove-section=.comment --remove-section=.note "${_file}"
    COMMAND_ERROR_IS_FATAL ANY)
endforeach()
