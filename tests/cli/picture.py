#!/usr/bin/env python3
"""Pictures for the display-path tests, with the standard library alone.

  picture.py png SHOT.xwd OUT.png          an X window dump (xwd -root) as PNG
  picture.py match SHOT.xwd REF.png ROWS   how far the screen is from a snapshot: the mean
                                           difference per channel (0-255) over the first
                                           ROWS rows, at the best of the pixel shifts the
                                           kiosk applies against burn-in (up to 8 px)
  picture.py match-turned SHOT.xwd REF.png DEG ROWS
                                           the same for a screen turned DEG degrees
                                           clockwise ([kiosk] rotate): the snapshot is
                                           turned, then ROWS rows of it compared
"""
import struct
import sys
import zlib


def read_xwd(path):
    data = open(path, "rb").read()
    f = struct.unpack(">25I", data[:100])
    header_size, width, height = f[0], f[4], f[5]
    byte_order, bpp, bytes_per_line = f[7], f[11], f[12]
    masks, ncolors = f[14:17], f[19]
    if bpp not in (24, 32):
        raise SystemExit(f"{path}: expected 24 or 32 bits per pixel, found {bpp}")
    start, step = header_size + 12 * ncolors, bpp // 8
    shifts = [(m & -m).bit_length() - 1 for m in masks]
    order = "little" if byte_order == 0 else "big"
    rows = []
    for y in range(height):
        line = data[start + y * bytes_per_line:start + y * bytes_per_line + width * step]
        row = bytearray()
        for x in range(0, width * step, step):
            v = int.from_bytes(line[x:x + step], order)
            row += bytes((v & m) >> s for m, s in zip(masks, shifts))
        rows.append(bytes(row))
    return width, height, rows


def read_png(path):
    """An 8-bit RGB or RGBA PNG, not interlaced (what cairo writes), as RGB rows."""
    data = open(path, "rb").read()
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            width, height, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
            if depth != 8 or ctype not in (2, 6) or interlace:
                raise SystemExit(f"{path}: expected an 8-bit RGB(A) PNG")
            bpp = 3 if ctype == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw, stride, prev, rows = zlib.decompress(idat), width * bpp, None, []
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        up = prev or bytes(stride)
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = up[i], (up[i - bpp] if i >= bpp else 0)
            if kind == 1:
                line[i] = (line[i] + a) & 255
            elif kind == 2:
                line[i] = (line[i] + b) & 255
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        prev = bytes(line)
        rgb = bytearray()
        for x in range(width):
            rgb += line[x * bpp:x * bpp + 3]
        rows.append(bytes(rgb))
    return width, height, rows


def write_png(path, width, height, rows):
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    raw = b"".join(b"\0" + r for r in rows)
    open(path, "wb").write(b"\x89PNG\r\n\x1a\n" +
                           chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)) +
                           chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b""))


def difference(shot, ref, rows, dx, dy, sample=4):
    """Mean difference over every sample-th pixel of the first rows rows, shot moved by dx, dy."""
    (w, h, a), (_, _, b) = shot, ref
    total = count = 0
    for y in range(8, min(rows, h - 8), sample):
        ra, rb = a[y + dy], b[y]
        for x in range(8 * 3, (w - 8) * 3, 3 * sample):
            xa = x + 3 * dx
            total += abs(ra[xa] - rb[x]) + abs(ra[xa + 1] - rb[x + 1]) + abs(ra[xa + 2] - rb[x + 2])
            count += 3
    return total / count


def turned(picture, deg):
    """A picture turned deg (90, 180, 270) degrees clockwise."""
    w, h, rows = picture
    px = [[r[3 * x:3 * x + 3] for x in range(w)] for r in rows]
    for _ in range(deg // 90):
        # clockwise: the new row y is the old column y, read from the bottom up
        px = [[px[len(px) - 1 - x][y] for x in range(len(px))] for y in range(len(px[0]))]
    return len(px[0]), len(px), [b"".join(r) for r in px]


if __name__ == "__main__":
    if sys.argv[1] == "png":
        write_png(sys.argv[3], *read_xwd(sys.argv[2]))
    elif sys.argv[1] == "match":
        shot, ref = read_xwd(sys.argv[2]), read_png(sys.argv[3])
        if shot[:2] != ref[:2]:
            raise SystemExit(f"the screen is {shot[0]}x{shot[1]}, the snapshot {ref[0]}x{ref[1]}")
        rows = int(sys.argv[4])
        # the shift first on a coarse grid, then the best one measured finely
        best = min((difference(shot, ref, rows, dx, dy, 16), dx, dy)
                   for dx in range(-6, 7) for dy in range(-6, 7))
        print(f"{difference(shot, ref, rows, best[1], best[2], 2):.2f}")
    elif sys.argv[1] == "match-turned":
        shot, ref = read_xwd(sys.argv[2]), turned(read_png(sys.argv[3]), int(sys.argv[4]))
        if shot[:2] != ref[:2]:
            raise SystemExit(f"the screen is {shot[0]}x{shot[1]}, the turned snapshot {ref[0]}x{ref[1]}")
        rows = int(sys.argv[5])
        best = min((difference(shot, ref, rows, dx, dy, 16), dx, dy)
                   for dx in range(-6, 7) for dy in range(-6, 7))
        print(f"{difference(shot, ref, rows, best[1], best[2], 2):.2f}")
