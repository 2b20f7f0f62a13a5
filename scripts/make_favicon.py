"""Draw Kinerja's icon: the SVG (kinerja/static/kinerja/favicon.svg) and its raster fallbacks.

The .ico (16 and 32 px PNGs in an ICO container, for browsers without SVG icons) and the 180 px
PNG for phones' home screens are drawn from the same shapes as the SVG with 4x4 supersampling,
in pure Python, so nothing beyond the standard library is needed.
Run: python scripts/make_favicon.py
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "kinerja" / "static" / "kinerja"
BLUE = (6, 111, 209)
WHITE = (255, 255, 255)
# All shapes on a 32x32 grid: (x, y, width, height, corner radius).
TILE = (0, 0, 32, 32, 7)
BARS = [(6.5, 17, 5, 9, 1.2), (13.5, 12, 5, 14, 1.2), (20.5, 6, 5, 20, 1.2)]

SVG = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">
  <title>Kinerja</title>
  <rect width="32" height="32" rx="7" fill="#066fd1"/>
  <g fill="#fff">
{bars}
  </g>
</svg>
"""


def inside(px: float, py: float, shape) -> bool:
    x, y, w, h, r = shape
    if not (x <= px <= x + w and y <= py <= y + h):
        return False
    cx = min(max(px, x + r), x + w - r)
    cy = min(max(py, y + r), y + h - r)
    return (px - cx) ** 2 + (py - cy) ** 2 <= r * r


def raster(size: int) -> bytes:
    """Return RGBA rows (each with PNG's filter byte) for a ``size`` square icon."""
    scale = 32 / size
    samples = [(i + 0.5) / 4 for i in range(4)]
    rows = bytearray()
    for j in range(size):
        rows.append(0)
        for i in range(size):
            tile = bar = 0
            for sy in samples:
                for sx in samples:
                    px, py = (i + sx) * scale, (j + sy) * scale
                    if inside(px, py, TILE):
                        tile += 1
                        if any(inside(px, py, b) for b in BARS):
                            bar += 1
            if not tile:
                rows += b"\0\0\0\0"
                continue
            mix = bar / tile
            rgb = [round(BLUE[k] * (1 - mix) + WHITE[k] * mix) for k in range(3)]
            rows += bytes([*rgb, round(255 * tile / 16)])
    return bytes(rows)


def png(size: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raster(size), 9))
        + chunk(b"IEND", b"")
    )


def ico(images: list[tuple[int, bytes]]) -> bytes:
    head = struct.pack("<HHH", 0, 1, len(images))
    offset = 6 + 16 * len(images)
    entries, data = b"", b""
    for size, blob in images:
        entries += struct.pack("<BBBBHHII", size % 256, size % 256, 0, 0, 1, 32, len(blob), offset)
        offset += len(blob)
        data += blob
    return head + entries + data


def main() -> None:
    bars = "\n".join(
        f'    <rect x="{x}" y="{y}" width="{w}" height="{h}" rx="{r}"/>' for x, y, w, h, r in BARS
    )
    (OUT / "favicon.svg").write_text(SVG.format(bars=bars))
    small, large = png(16), png(32)
    (OUT / "apple-touch-icon.png").write_bytes(png(180))
    (OUT / "favicon.ico").write_bytes(ico([(16, small), (32, large)]))


if __name__ == "__main__":
    main()
