# Runs inside `cmake --install`: installs xmppfed-agent.service with the
# paths of this installation, and agent.toml unless one is there already (an
# operator's configuration is never overwritten).
#
# Set by agent/systemd/CMakeLists.txt: XMPPFED_SYSTEMD_SOURCE_DIR,
# XMPPFED_SYSTEMD_BINARY_DIR, XMPPFED_INSTALL_SBINDIR and
# XMPPFED_INSTALL_SYSCONFDIR (as GNUInstallDirs gives them: relative to the
# prefix unless absolute). CMAKE_INSTALL_PREFIX is the prefix of this install.

# Like GNUInstallDirs' CMAKE_INSTALL_FULL_SYSCONFDIR: /etc for the prefixes
# / and /usr, /etc/opt/... for /opt/..., else PREFIX/etc.
if(IS_ABSOLUTE "${XMPPFED_INSTALL_SYSCONFDIR}")
  set(sysconfdir "${XMPPFED_INSTALL_SYSCONFDIR}")
elseif(CMAKE_INSTALL_PREFIX STREQUAL "" OR CMAKE_INSTALL_PREFIX STREQUAL "/"
       OR CMAKE_INSTALL_PREFIX STREQUAL "/usr")
  set(sysconfdir "/${XMPPFED_INSTALL_SYSCONFDIR}")
elseif(CMAKE_INSTALL_PREFIX MATCHES "^/opt/")
  set(sysconfdir "/${XMPPFED_INSTALL_SYSCONFDIR}${CMAKE_INSTALL_PREFIX}")
else()
  set(sysconfdir "${CMAKE_INSTALL_PREFIX}/${XMPPFED_INSTALL_SYSCONFDIR}")
endif()
if(IS_ABSOLUTE "${XMPPFED_INSTALL_SBINDIR}")
  set(sbindir "${XMPPFED_INSTALL_SBINDIR}")
else()
  set(sbindir "${CMAKE_INSTALL_PREFIX}/${XMPPFED_INSTALL_SBINDIR}")
endif()

set(XMPPFED_AGENT_PATH "${sbindir}/xmppfed-agent")
set(XMPPFED_CONFIG_PATH "${sysconfdir}/xmppfed/agent.toml")

# One generated copy per destination, so that installs to different places
# running at the same time never share a file.
string(MD5 destination_key "$ENV{DESTDIR}|${CMAKE_INSTALL_PREFIX}")
set(generated_dir "${XMPPFED_SYSTEMD_BINARY_DIR}/install-${destination_key}")
configure_file("${XMPPFED_SYSTEMD_SOURCE_DIR}/xmppfed-agent.service.in"
               "${generated_dir}/xmppfed-agent.service" @ONLY)
# file(INSTALL) prepends $DESTDIR itself.
file(INSTALL DESTINATION "${CMAKE_INSTALL_PREFIX}/lib/systemd/system"
     TYPE FILE FILES "${generated_dir}/xmppfed-agent.service")
file(REMOVE_RECURSE "${generated_dir}")

if(EXISTS "$ENV{DESTDIR}${XMPPFED_CONFIG_PATH}")
  message(STATUS "Keeping: $ENV{DESTDIR}${XMPPFED_CONFIG_PATH}")
else()
  file(INSTALL DESTINATION "${sysconfdir}/xmppfed" TYPE FILE
       FILES "${XMPPFED_SYSTEMD_SOURCE_DIR}/agent.toml")
endif()
