#!/usr/bin/env python3
"""Checks a run of `love examples/love --screenshot FILE` (make test-love).

usage: check_screenshot.py LOVE_LOG MODEL_LOG SHOT.png

- LÖVE loaded the native module built for LuaJIT (the log names core.so);
- the prior is N(0.5, 1.25^2), weight 0.1, after the keys up, up, right;
- the printed loss equals the formula computed here, independently of Lua;
- the draws' statistics are the ones plain LuaJIT printed for the same code
  (MODEL_LOG, from test_model.lua) and fit the prior;
- the PNG (decoded here with zlib, no imaging library) is 800x600, has the
  pixel counts LÖVE reported, and shows a substantial histogram and curve.
"""
import math
import re
import struct
import sys
import zlib

BAR = (0x33, 0x88, 0xcc)
CURVE = (0xff, 0x99, 0x00)


def fail(msg):
    print("check_screenshot: FAIL: " + msg)
    sys.exit(1)


def field(log, pattern, what):
    m = re.search(pattern, log)
    if not m:
        fail("no %s in the output:\n%s" % (what, log))
    return m


def decode_png(path):
    """Returns (width, height, rows of (r, g, b) tuples) of an 8-bit RGB(A)
    non-interlaced PNG."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        fail("%s is not a PNG" % path)
    pos, idat, ihdr = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if zlib.crc32(kind + body) != struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])[0]:
            fail("bad CRC in chunk %r" % kind)
        if kind == b"IHDR":
            ihdr = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    w, h, depth, ctype, _, _, interlace = ihdr
    if depth != 8 or ctype not in (2, 6) or interlace != 0:
        fail("unexpected PNG format depth=%d type=%d interlace=%d" % (depth, ctype, interlace))
    bpp = 4 if ctype == 6 else 3
    raw = zlib.decompress(idat)
    stride = w * bpp
    rows, prev, p = [], bytearray(stride), 0
    for _ in range(h):
        ftype, line = raw[p], bytearray(raw[p + 1:p + 1 + stride])
        p += 1 + stride
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if ftype == 1:
                line[i] = (line[i] + a) & 255
            elif ftype == 2:
                line[i] = (line[i] + b) & 255
            elif ftype == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif ftype == 4:
                pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                pr = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pr) & 255
            elif ftype != 0:
                fail("bad PNG filter %d" % ftype)
        rows.append([tuple(line[i:i + 3]) for i in range(0, stride, bpp)])
        prev = line
    return w, h, rows


def main():
    love_log, model_log, png = sys.argv[1:4]
    log = open(love_log, encoding="utf-8", errors="replace").read()
    mlog = open(model_log, encoding="utf-8").read()

    where = field(log, r"gaussianreg\.core from (\S+), isa (\S+), (.+)", "module line")
    if not where.group(1).endswith("core.so") or "LuaJIT" not in where.group(3):
        fail("module not loaded as a LuaJIT native module: " + where.group(0))

    prior = field(log, r"prior mean=(\S+) std=(\S+) weight=(\S+)", "prior line")
    mean, std, weight = (float(prior.group(i)) for i in (1, 2, 3))
    if (mean, std, weight) != (0.5, 1.25, 0.1):
        fail("keys up, up, right should give N(0.5, 1.25^2), weight 0.1: " + prior.group(0))

    # The reference loss: the formula of brainstate's GaussianReg.
    prec = max(1.0 / (std * std + 1e-8), 0.0) + 1e-6
    probe = [-1.0, 0.0, 0.5, 2.0]
    ref = weight * (sum(prec * (x - mean) ** 2 for x in probe) - math.log(prec))
    loss = float(field(log, r"loss\(probe\)=(\S+)", "loss line").group(1))
    if abs(loss - ref) > 1e-12 * abs(ref):
        fail("loss %.17g, reference %.17g" % (loss, ref))
    mloss = float(field(mlog, r"loss\(probe\)=(\S+)", "LuaJIT loss line").group(1))
    if mloss != loss:
        fail("LÖVE loss %.17g differs from plain LuaJIT %.17g" % (loss, mloss))

    stats = r"draws=(\d+) sample_mean=(\S+) sample_std=(\S+) chi2=(\S+) dof=(\d+)"
    s = field(log, stats, "draw statistics")
    ms = field(mlog, stats, "LuaJIT draw statistics")
    if s.groups() != ms.groups():
        fail("LÖVE drew %s, plain LuaJIT %s" % (s.group(0), ms.group(0)))
    n, smean, sstd, chi2, dof = int(s.group(1)), float(s.group(2)), float(s.group(3)), \
        float(s.group(4)), int(s.group(5))
    if n != 40000 or abs(smean - mean) > 6 * std / math.sqrt(n) or \
            abs(sstd - std) > 6 * std / math.sqrt(2 * n) or chi2 > dof + 6 * math.sqrt(2 * dof):
        fail("draws do not fit the prior: " + s.group(0))

    shot = field(log, r"screenshot \S+ (\d+)x(\d+) bytes=(\d+) colours=(\d+) "
                      r"bar_pixels=(\d+) curve_pixels=(\d+)", "screenshot line")
    w, h, rows = decode_png(png)
    colours, bar, curve = set(), 0, 0
    for row in rows:
        for px in row:
            colours.add(px)
            bar += px == BAR
            curve += px == CURVE
    reported = tuple(int(shot.group(i)) for i in (1, 2, 4, 5, 6))
    if reported != (w, h, len(colours), bar, curve):
        fail("LÖVE reported %s, the PNG has %s" % (reported, (w, h, len(colours), bar, curve)))
    # Plot area 720x450: a normal histogram fills about a third of it.
    if (w, h) != (800, 600) or len(colours) < 6 or bar < 40000 or curve < 1500:
        fail("the picture looks empty: %dx%d, %d colours, %d bar, %d curve pixels"
             % (w, h, len(colours), bar, curve))
    # The tallest bars are in the middle (around the mean), none at the edges.
    cols = [sum(1 for y in range(h) if rows[y][x] == BAR) for x in range(w)]
    centre = max(range(w), key=lambda x: cols[x])
    if not 340 <= centre <= 500 or cols[70] > cols[centre] // 10 or cols[770] > cols[centre] // 10:
        fail("the histogram is not centred: tallest column %d" % centre)
    print("check_screenshot: ok: loss %.17g = reference, %d draws, chi2 %.1f/%d dof, "
          "%dx%d PNG, %d colours, %d bar and %d curve pixels"
          % (loss, n, chi2, dof, w, h, len(colours), bar, curve))


if __name__ == "__main__":
    main()
