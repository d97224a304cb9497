# Runs at install time (install(CODE) in cmake/NebulaInstall.cmake), once per
# service: writes its systemd unit and its environment file, and for the pool
# the default pipeline, with the paths of this installation. Set by the caller:
#   NEBULA_SERVICE      nebula-pool | nebula-node
#   NEBULA_ETC_FILES    files for <etc>/nebula/ (may be empty)
#   NEBULA_SOURCE_DIR, NEBULA_BINARY_DIR, NEBULA_BINDIR (relative bin folder)
# CMAKE_INSTALL_PREFIX is the prefix being installed to: /usr when CPack
# builds the packages (CPACK_SET_DESTDIR puts them under $DESTDIR).

# GNU and Debian: the /usr prefix keeps its configuration in /etc; any other
# prefix in <prefix>/etc.
string(REGEX REPLACE "/+$" "" _prefix "${CMAKE_INSTALL_PREFIX}")
if(_prefix STREQUAL "/usr" OR _prefix STREQUAL "")
  set(NEBULA_ETC_DIR /etc)
else()
  set(NEBULA_ETC_DIR ${_prefix}/etc)
endif()
set(NEBULA_BIN_PATH ${_prefix}/${NEBULA_BINDIR})
set(NEBULA_SHARE_DIR ${_prefix}/${NEBULA_DATADIR}/nebula)

# One folder per destination, so two installs running at once (the
# packaging and SDK tests under ctest -j2) never write each other's files.
string(MD5 _key "$ENV{DESTDIR}${_prefix}")
set(_out ${NEBULA_BINARY_DIR}/installed/${_key})
configure_file(${NEBULA_SOURCE_DIR}/deploy/systemd/${NEBULA_SERVICE}.service.in
  ${_out}/${NEBULA_SERVICE}.service @ONLY)
configure_file(${NEBULA_SOURCE_DIR}/deploy/default/${NEBULA_SERVICE}.in
  ${_out}/${NEBULA_SERVICE} @ONLY)

# file(INSTALL) prepends $DESTDIR and records each file in the manifest.
file(INSTALL DESTINATION ${_prefix}/lib/systemd/system TYPE FILE FILES ${_out}/${NEBULA_SERVICE}.service)
file(INSTALL DESTINATION ${NEBULA_ETC_DIR}/default TYPE FILE FILES ${_out}/${NEBULA_SERVICE})
if(NEBULA_ETC_FILES)
  file(INSTALL DESTINATION ${NEBULA_ETC_DIR}/nebula TYPE FILE FILES ${NEBULA_ETC_FILES})
endif()
