# CPack: `cpack -G DEB` and `cpack -G RPM` in a build configured with FERRY_PACKAGING=ON and
# CMAKE_INSTALL_PREFIX=/usr (the `package` preset) make two packages each: `ferry`, the node (binary,
# plugins, unit, configuration, man page, completion) and `ferry-sdk`, for plugin authors (headers, CMake
# package, pkg-config module, example sink, conformance kit). packaging/README.md shows how to test them.
set(FERRY_PACKAGE_MAINTAINER "ferry maintainers <maintainers@ferry.invalid>" CACHE STRING
  "Maintainer named in the packages")

set(CPACK_PACKAGE_NAME ferry)
set(CPACK_PACKAGE_VENDOR "the ferry authors")
set(CPACK_PACKAGE_CONTACT "${FERRY_PACKAGE_MAINTAINER}")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
# Not CPACK_STRIP_FILES: strip.cmake also removes the .comment and .note sections lintian reports.
set(CPACK_STRIP_FILES OFF)
set(CPACK_PRE_BUILD_SCRIPTS ${CMAKE_CURRENT_SOURCE_DIR}/strip.cmake)
set(CPACK_COMPONENTS_ALL node sdk)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_RPM_COMPONENT_INSTALL ON)

set(_ferry_node_summary "cluster data mover: node, plugins and systemd service")
set(_ferry_node_description
  "ferry moves data between the machines of a cluster. A node connects to its
peers, negotiates a protocol version with each, exchanges acknowledged
messages and streams files into storage sinks. Transports (tcp, uds),
protocol codecs (1.0, 1.1, 2.0), TLS (openssl) and sinks (fs, sqlite, null)
are plugins. This package holds the ferry command, its plugins, a hardened
systemd unit running the node as user ferry, and /etc/ferry/node.toml, which
listens on loopback only.")
set(_ferry_sdk_summary "cluster data mover: SDK for writing ferry plugins")
set(_ferry_sdk_description
  "ferry moves data between the machines of a cluster; its transports, codecs,
TLS and storage sinks are plugins behind a stable C ABI. This package holds
what a plugin author needs: the ABI header, the header-only C++ layer, the
CMake package (find_package(ferry-sdk)), the pkg-config module, an example
sink built out of tree, and ferry-sink-check, the sink conformance kit.")

# .deb
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${FERRY_PACKAGE_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS OFF)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_DEBIAN_NODE_PACKAGE_NAME ferry)
set(CPACK_DEBIAN_NODE_PACKAGE_SECTION net)
# adduser creates the ferry user in postinst. (deb-systemd-helper and deb-systemd-invoke, with which the
# scripts enable, start and restart the service, come with init-system-helpers, which is essential.)
set(CPACK_DEBIAN_NODE_PACKAGE_DEPENDS "adduser")
set(CPACK_DEBIAN_NODE_DESCRIPTION "${_ferry_node_summary}\n${_ferry_node_description}")
set(CPACK_DEBIAN_NODE_PACKAGE_CONTROL_EXTRA
  ${CMAKE_CURRENT_SOURCE_DIR}/deb/conffiles
  ${CMAKE_CURRENT_SOURCE_DIR}/deb/postinst
  ${CMAKE_CURRENT_SOURCE_DIR}/deb/prerm
  ${CMAKE_CURRENT_SOURCE_DIR}/deb/postrm)
set(CPACK_DEBIAN_SDK_PACKAGE_NAME ferry-sdk)
set(CPACK_DEBIAN_SDK_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_SDK_DESCRIPTION "${_ferry_sdk_summary}\n${_ferry_sdk_description}")

# .rpm
set(CPACK_RPM_FILE_NAME RPM-DEFAULT)
set(CPACK_RPM_PACKAGE_LICENSE "LicenseRef-not-yet-chosen")
set(CPACK_RPM_PACKAGE_URL "https://ferry.invalid/")
set(CPACK_RPM_PACKAGE_AUTOREQ ON)
# Installed where the unit and the configuration name them, nowhere else.
set(CPACK_RPM_PACKAGE_RELOCATABLE OFF)
# No /usr/lib/.build-id links: the binaries are stripped, and the links' directories would be owned by
# every package that ships them.
set(CPACK_RPM_SPEC_MORE_DEFINE "%define _build_id_links none")
set(CPACK_RPM_NODE_PACKAGE_NAME ferry)
set(CPACK_RPM_NODE_PACKAGE_SUMMARY "${_ferry_node_summary}")
set(CPACK_RPM_NODE_PACKAGE_DESCRIPTION "${_ferry_node_description}")
set(CPACK_RPM_NODE_PACKAGE_GROUP "System Environment/Daemons")
# useradd and groupadd, for %pre.
set(CPACK_RPM_NODE_PACKAGE_REQUIRES_PRE "shadow-utils")
set(CPACK_RPM_NODE_PRE_INSTALL_SCRIPT_FILE ${CMAKE_CURRENT_SOURCE_DIR}/rpm/pre)
set(CPACK_RPM_NODE_POST_INSTALL_SCRIPT_FILE ${CMAKE_CURRENT_SOURCE_DIR}/rpm/post)
set(CPACK_RPM_NODE_PRE_UNINSTALL_SCRIPT_FILE ${CMAKE_CURRENT_SOURCE_DIR}/rpm/preun)
set(CPACK_RPM_NODE_POST_UNINSTALL_SCRIPT_FILE ${CMAKE_CURRENT_SOURCE_DIR}/rpm/postun)
# The configuration survives upgrades and edits; the state directory belongs to the ferry user.
set(CPACK_RPM_NODE_USER_FILELIST
  "%config(noreplace) /etc/ferry/node.toml"
  "%dir %attr(0750, ferry, ferry) /var/lib/ferry")
set(CPACK_RPM_SDK_PACKAGE_NAME ferry-sdk)
set(CPACK_RPM_SDK_PACKAGE_SUMMARY "${_ferry_sdk_summary}")
set(CPACK_RPM_SDK_PACKAGE_DESCRIPTION "${_ferry_sdk_description}")
set(CPACK_RPM_SDK_PACKAGE_GROUP "Development/Libraries")
# Directories that the distribution's filesystem, systemd, man, bash-completion and pkgconf packages own:
# a package that listed them would claim them too.
set(CPACK_RPM_EXCLUDE_FROM_AUTO_FILELIST_ADDITION
  /etc /var /var/lib
  /usr/lib/systemd /usr/lib/systemd/system
  /usr/share/man /usr/share/man/man1
  /usr/share/bash-completion /usr/share/bash-completion/completions
  /usr/share/doc /usr/share/pkgconfig /usr/include /usr/share/lintian /usr/share/lintian/overrides)

include(CPack)
cpack_add_component(node DISPLAY_NAME "ferry node" DESCRIPTION "${_ferry_node_summary}")
cpack_add_component(sdk DISPLAY_NAME "ferry SDK" DESCRIPTION "${_ferry_sdk_summary}")
