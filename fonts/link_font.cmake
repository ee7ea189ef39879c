# At install time: links share/kiosk/fonts/NAME to a font package's file. The link is
# relative when both live under the same top directory (/usr, as Debian wants), absolute
# otherwise (an install into another prefix).
#   kiosk_link_font(FONT_FILE LINK_DIR)    LINK_DIR without DESTDIR
function(kiosk_link_font font dir)
  get_filename_component(name ${font} NAME)
  string(REGEX MATCH "^/[^/]+" font_top "${font}")
  string(REGEX MATCH "^/[^/]+" dir_top "${dir}")
  set(target ${font})
  if(font_top STREQUAL dir_top)
    file(RELATIVE_PATH target ${dir} ${font})
  endif()
  file(MAKE_DIRECTORY "$ENV{DESTDIR}${dir}")
  file(CREATE_LINK ${target} "$ENV{DESTDIR}${dir}/${name}" SYMBOLIC)
  message(STATUS "Installing: $ENV{DESTDIR}${dir}/${name} -> ${target}")
endfunction()
