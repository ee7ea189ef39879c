# Turns a text file into a C string constant: cmake -DIN=file -DOUT=file.c -DNAME=symbol -P
file(READ "${IN}" hex HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
file(WRITE "${OUT}.tmp"
     "/* Generated from ${IN}; do not edit. */\n"
     "extern const char ${NAME}[];\n"
     "const char ${NAME}[] = {${bytes} 0x00};\n")
file(RENAME "${OUT}.tmp" "${OUT}")
