#!/usr/bin/env python3
"""Render a terminal capture with ANSI colours (tmux `capture-pane -p -e`)
to a PNG that looks like a terminal window.

    render.py CAPTURE.ansi OUT.png [--cols N] [--rows N] [--cursor X,Y]
              [--title TEXT] [--font-size PX] [--scale N]

The capture is a stream of lines; SGR state carries from one line to the
next, as it does in a terminal.  Understood: SGR 0 1 2 3 4 7 9 22 23 24 27
29 30-37 39 40-47 49 90-97 100-107 38;5;n 48;5;n 38;2;r;g;b 48;2;r;g;b (and
their colon forms); every other escape sequence is skipped.  Each character
is drawn at column * cell_width: east-asian wide characters take two cells,
combining marks none.  Box-drawing and block characters are drawn as lines
and rectangles on the cell grid, so borders join without gaps.
"""

import argparse
import os
import re
import sys
import unicodedata

from PIL import Image, ImageDraw, ImageFont

# --- colours --------------------------------------------------------------

BG = (0x1D, 0x1F, 0x21)  # default background
FG = (0xC5, 0xC8, 0xC6)  # default foreground
FG_BOLD = (0xF2, 0xF2, 0xF2)  # default foreground when bold
CHROME = (0x2B, 0x2D, 0x30)  # window title bar
CHROME_TEXT = (0x9A, 0x9D, 0xA2)

# The 16 ANSI colours (a Tomorrow Night-like dark theme).
PALETTE16 = [
    (0x1D, 0x1F, 0x21), (0xCC, 0x66, 0x66), (0xB5, 0xBD, 0x68), (0xE6, 0xC5, 0x47),
    (0x81, 0xA2, 0xBE), (0xB2, 0x94, 0xBB), (0x70, 0xC0, 0xBA), (0xC5, 0xC8, 0xC6),
    (0x66, 0x66, 0x66), (0xFF, 0x33, 0x34), (0x9E, 0xC4, 0x00), (0xF0, 0xC6, 0x74),
    (0x81, 0xA2, 0xBE), (0xB7, 0x7E, 0xE0), (0x54, 0xCE, 0xD6), (0xFF, 0xFF, 0xFF),
]


def xterm256(n):
    if n < 16:
        return PALETTE16[n]
    if n < 232:
        n -= 16
        steps = (0, 95, 135, 175, 215, 255)
        return (steps[n // 36], steps[(n // 6) % 6], steps[n % 6])
    v = 8 + 10 * (n - 232)
    return (v, v, v)


def blend(a, b, t):
    """a mixed with b: t=0 is a, t=1 is b."""
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b))


# --- parsing --------------------------------------------------------------


class Attr:
    __slots__ = ("fg", "bg", "bold", "dim", "italic", "underline", "strike", "reverse")

    def __init__(self):
        self.reset()

    def reset(self):
        self.fg = None  # None: default, else (r, g, b)
        self.bg = None
        self.bold = self.dim = self.italic = False
        self.underline = self.strike = self.reverse = False

    def copy(self):
        a = Attr.__new__(Attr)
        for k in Attr.__slots__:
            setattr(a, k, getattr(self, k))
        return a


def ext_colour(params, i):
    """An extended colour at params[i] ("5;n" or "2;r;g;b"): (colour, next i)."""
    if i < len(params) and params[i] == 5 and i + 1 < len(params):
        return xterm256(params[i + 1] & 255), i + 2
    if i < len(params) and params[i] == 2 and i + 3 < len(params):
        return tuple(min(255, max(0, v)) for v in params[i + 1 : i + 4]), i + 4
    return None, len(params)


def apply_sgr(attr, text):
    # "38:2::r:g:b" / "38:5:n" (colon forms) become the semicolon forms.
    groups = text.split(";") if text else ["0"]
    params = []
    for g in groups:
        if ":" in g:
            sub = [int(x) if x.isdigit() else 0 for x in g.split(":")]
            if sub[0] in (38, 48, 58) and len(sub) >= 2 and sub[1] == 2 and len(sub) >= 6:
                sub = sub[:2] + sub[-3:]  # drop the colour-space id
            elif sub[0] == 4:  # 4:0 no underline, 4:n some underline style
                sub = [24] if len(sub) > 1 and sub[1] == 0 else [4]
            params.extend(sub)
        else:
            params.append(int(g) if g.isdigit() else 0)
    i = 0
    while i < len(params):
        p = params[i]
        i += 1
        if p == 0:
            attr.reset()
        elif p == 1:
            attr.bold = True
        elif p == 2:
            attr.dim = True
        elif p == 3:
            attr.italic = True
        elif p == 4:
            attr.underline = True
        elif p == 7:
            attr.reverse = True
        elif p == 9:
            attr.strike = True
        elif p == 22:
            attr.bold = attr.dim = False
        elif p == 23:
            attr.italic = False
        elif p == 24:
            attr.underline = False
        elif p == 27:
            attr.reverse = False
        elif p == 29:
            attr.strike = False
        elif 30 <= p <= 37:
            attr.fg = PALETTE16[p - 30]
        elif p == 38:
            c, i = ext_colour(params, i)
            if c is not None:
                attr.fg = c
        elif p == 39:
            attr.fg = None
        elif 40 <= p <= 47:
            attr.bg = PALETTE16[p - 40]
        elif p == 48:
            c, i = ext_colour(params, i)
            if c is not None:
                attr.bg = c
        elif p == 49:
            attr.bg = None
        elif p == 58:  # underline colour: skip its arguments
            _, i = ext_colour(params, i)
        elif 90 <= p <= 97:
            attr.fg = PALETTE16[p - 90 + 8]
        elif 100 <= p <= 107:
            attr.bg = PALETTE16[p - 100 + 8]
        # anything else (blink, overline, ...) is ignored


def char_width(ch):
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return 2
    return 1


ESC_RE = re.compile(
    r"\x1b(?:\[([0-9;:?<=>]*)([ -/]*)([@-~])"  # CSI: params, intermediates, final
    r"|\][^\x07\x1b]*(?:\x07|\x1b\\)"  # OSC ... BEL or ST
    r"|[PX^_][^\x1b]*\x1b\\"  # DCS, SOS, PM, APC ... ST
    r"|[ -/]*[0-~])"  # other two-or-more-byte escapes
)


class Cell:
    __slots__ = ("text", "attr", "width")

    def __init__(self, text, attr, width):
        self.text = text  # the character (plus any combining marks)
        self.attr = attr
        self.width = width  # 1, 2, or 0 for the right half of a wide character


def parse(data, cols, rows):
    """The capture as a rows x cols grid of Cells (None: blank, default colours)."""
    lines = data.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    grid = [[None] * cols for _ in range(rows)]
    attr = Attr()
    for y, line in enumerate(lines):
        x = 0
        last = None  # the cell combining marks attach to
        pos = 0
        while pos < len(line):
            m = ESC_RE.match(line, pos) if line[pos] == "\x1b" else None
            if m:
                pos = m.end()
                if m.group(3) == "m" and not m.group(2) and not (m.group(1) or "").startswith(("?", "<", "=", ">")):
                    apply_sgr(attr, m.group(1))
                continue
            ch = line[pos]
            pos += 1
            if ch == "\x1b" or (ord(ch) < 0x20 and ch != "\t") or 0x7F <= ord(ch) < 0xA0:
                continue
            if ch == "\t":
                x = min(cols, (x // 8 + 1) * 8)
                continue
            w = char_width(ch)
            if w == 0:
                if last is not None:
                    last.text += ch
                continue
            if y >= rows or x + w > cols:
                x += w
                continue
            cell = Cell(ch, attr.copy(), w)
            grid[y][x] = cell
            if w == 2:
                grid[y][x + 1] = Cell("", cell.attr, 0)
            last = cell
            x += w
        # Nothing to do at the end of a line: tmux starts the next line with
        # its own SGR where it needs one, and state carries over otherwise.
    return grid


def capture_size(data):
    """Columns and rows the capture needs."""
    lines = data.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    cols = 0
    for line in lines:
        text = ESC_RE.sub("", line)
        cols = max(cols, sum(char_width(c) for c in text if c >= " "))
    return cols, len(lines)


# --- drawing --------------------------------------------------------------

FONT_DIRS = ["/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/TTF", "/usr/share/fonts/dejavu"]
# Used for characters DejaVu Sans Mono has no glyph for, when installed.
FALLBACK_FONTS = [
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
]


def find_font(name):
    for d in FONT_DIRS:
        p = os.path.join(d, name)
        if os.path.exists(p):
            return p
    sys.exit(f"render.py: font {name} not found (install fonts-dejavu-core)")


# Box drawing U+2500..U+257F: (up, down, left, right) with 0 none, 1 light,
# 2 heavy, 3 double.  Dashed lines and diagonals are left to the font.
L, H, D = 1, 2, 3
BOX = {
    0x2500: (0, 0, L, L), 0x2501: (0, 0, H, H), 0x2502: (L, L, 0, 0), 0x2503: (H, H, 0, 0),
    0x250C: (0, L, 0, L), 0x250D: (0, L, 0, H), 0x250E: (0, H, 0, L), 0x250F: (0, H, 0, H),
    0x2510: (0, L, L, 0), 0x2511: (0, L, H, 0), 0x2512: (0, H, L, 0), 0x2513: (0, H, H, 0),
    0x2514: (L, 0, 0, L), 0x2515: (L, 0, 0, H), 0x2516: (H, 0, 0, L), 0x2517: (H, 0, 0, H),
    0x2518: (L, 0, L, 0), 0x2519: (L, 0, H, 0), 0x251A: (H, 0, L, 0), 0x251B: (H, 0, H, 0),
    0x251C: (L, L, 0, L), 0x251D: (L, L, 0, H), 0x251E: (H, L, 0, L), 0x251F: (L, H, 0, L),
    0x2520: (H, H, 0, L), 0x2521: (H, L, 0, H), 0x2522: (L, H, 0, H), 0x2523: (H, H, 0, H),
    0x2524: (L, L, L, 0), 0x2525: (L, L, H, 0), 0x2526: (H, L, L, 0), 0x2527: (L, H, L, 0),
    0x2528: (H, H, L, 0), 0x2529: (H, L, H, 0), 0x252A: (L, H, H, 0), 0x252B: (H, H, H, 0),
    0x252C: (0, L, L, L), 0x252D: (0, L, H, L), 0x252E: (0, L, L, H), 0x252F: (0, L, H, H),
    0x2530: (0, H, L, L), 0x2531: (0, H, H, L), 0x2532: (0, H, L, H), 0x2533: (0, H, H, H),
    0x2534: (L, 0, L, L), 0x2535: (L, 0, H, L), 0x2536: (L, 0, L, H), 0x2537: (L, 0, H, H),
    0x2538: (H, 0, L, L), 0x2539: (H, 0, H, L), 0x253A: (H, 0, L, H), 0x253B: (H, 0, H, H),
    0x253C: (L, L, L, L), 0x253D: (L, L, H, L), 0x253E: (L, L, L, H), 0x253F: (L, L, H, H),
    0x2540: (H, L, L, L), 0x2541: (L, H, L, L), 0x2542: (H, H, L, L), 0x2543: (H, L, H, L),
    0x2544: (H, L, L, H), 0x2545: (L, H, H, L), 0x2546: (L, H, L, H), 0x2547: (H, L, H, H),
    0x2548: (L, H, H, H), 0x2549: (H, H, H, L), 0x254A: (H, H, L, H), 0x254B: (H, H, H, H),
    0x2550: (0, 0, D, D), 0x2551: (D, D, 0, 0),
    0x2552: (0, L, 0, D), 0x2553: (0, D, 0, L), 0x2554: (0, D, 0, D),
    0x2555: (0, L, D, 0), 0x2556: (0, D, L, 0), 0x2557: (0, D, D, 0),
    0x2558: (L, 0, 0, D), 0x2559: (D, 0, 0, L), 0x255A: (D, 0, 0, D),
    0x255B: (L, 0, D, 0), 0x255C: (D, 0, L, 0), 0x255D: (D, 0, D, 0),
    0x255E: (L, L, 0, D), 0x255F: (D, D, 0, L), 0x2560: (D, D, 0, D),
    0x2561: (L, L, D, 0), 0x2562: (D, D, L, 0), 0x2563: (D, D, D, 0),
    0x2564: (0, L, D, D), 0x2565: (0, D, L, L), 0x2566: (0, D, D, D),
    0x2567: (L, 0, D, D), 0x2568: (D, 0, L, L), 0x2569: (D, 0, D, D),
    0x256A: (L, L, D, D), 0x256B: (D, D, L, L), 0x256C: (D, D, D, D),
    0x256D: (0, L, 0, L), 0x256E: (0, L, L, 0), 0x256F: (L, 0, L, 0), 0x2570: (L, 0, 0, L),
    0x2574: (0, 0, L, 0), 0x2575: (L, 0, 0, 0), 0x2576: (0, 0, 0, L), 0x2577: (0, L, 0, 0),
    0x2578: (0, 0, H, 0), 0x2579: (H, 0, 0, 0), 0x257A: (0, 0, 0, H), 0x257B: (0, H, 0, 0),
    0x257C: (0, 0, L, H), 0x257D: (L, H, 0, 0), 0x257E: (0, 0, H, L), 0x257F: (H, L, 0, 0),
}


class Renderer:
    def __init__(self, font_size, scale):
        size = font_size * scale
        self.font = ImageFont.truetype(find_font("DejaVuSansMono.ttf"), size)
        self.bold = ImageFont.truetype(find_font("DejaVuSansMono-Bold.ttf"), size)
        self.fallbacks = []
        for p in FALLBACK_FONTS:
            if os.path.exists(p):
                try:
                    self.fallbacks.append(ImageFont.truetype(p, size))
                except OSError:
                    pass
        ascent, descent = self.font.getmetrics()
        self.cw = max(1, round(self.font.getlength("M")))
        self.ch = ascent + descent + scale  # a little line spacing
        self.baseline = (self.ch - (ascent + descent)) // 2 + ascent
        self.light = max(1, round(self.cw / 9))
        self.heavy = self.light * 2 + 1
        self.scale = scale
        self.notdef = self.font.getmask("\U0010FFFD").getbbox()

    # A glyph DejaVu Sans Mono lacks comes out as its .notdef box; then
    # try the fallback fonts.
    def pick_font(self, text, bold):
        font = self.bold if bold else self.font
        if ord(text[0]) < 0x2000 or not self.fallbacks:
            return font
        try:
            if self.font.getmask(text[0]).getbbox() != self.notdef:
                return font
        except Exception:
            pass
        return self.fallbacks[0] if len(self.fallbacks) == 1 else self.first_fallback(text)

    def first_fallback(self, text):
        for f in self.fallbacks:
            try:
                bbox = f.getmask(text[0]).getbbox()
            except Exception:
                continue
            if bbox:
                return f
        return self.font

    def box(self, d, x, y, w, spec, fg):
        """Box-drawing character: lines from the cell's centre to its edges."""
        up, down, left, right = spec
        cx = x + w // 2
        cy = y + self.ch // 2

        def thick(kind):
            return self.heavy if kind == H else self.light

        def hseg(x0, x1, kind):
            if kind == D:
                g = self.light + 1
                d.rectangle([x0, cy - g, x1, cy - g + self.light - 1], fill=fg)
                d.rectangle([x0, cy + g - self.light + 1, x1, cy + g], fill=fg)
            else:
                t = thick(kind)
                d.rectangle([x0, cy - t // 2, x1, cy - t // 2 + t - 1], fill=fg)

        def vseg(y0, y1, kind):
            if kind == D:
                g = self.light + 1
                d.rectangle([cx - g, y0, cx - g + self.light - 1, y1], fill=fg)
                d.rectangle([cx + g - self.light + 1, y0, cx + g, y1], fill=fg)
            else:
                t = thick(kind)
                d.rectangle([cx - t // 2, y0, cx - t // 2 + t - 1, y1], fill=fg)

        # Each half reaches past the centre by half the widest crossing line,
        # so corners and tees are closed.
        reach_h = max(thick(up) if up else 0, thick(down) if down else 0, self.light + 2 if D in (up, down) else 0) // 2
        reach_v = max(thick(left) if left else 0, thick(right) if right else 0, self.light + 2 if D in (left, right) else 0) // 2
        if left:
            hseg(x, cx + reach_h, left)
        if right:
            hseg(cx - reach_h, x + w - 1, right)
        if up:
            vseg(y, cy + reach_v, up)
        if down:
            vseg(cy - reach_v, y + self.ch - 1, down)

    def block(self, d, x, y, w, cp, fg, bg):
        """Block elements U+2580..U+2590 and shades: True when drawn."""
        h = self.ch
        r = None
        if cp == 0x2580:
            r = (x, y, x + w - 1, y + h // 2 - 1)
        elif 0x2581 <= cp <= 0x2588:  # lower 1/8 .. full block
            n = cp - 0x2580
            r = (x, y + h - round(h * n / 8), x + w - 1, y + h - 1)
        elif 0x2589 <= cp <= 0x258F:  # left 7/8 .. left 1/8
            n = 0x2590 - cp
            r = (x, y, x + max(1, round(w * n / 8)) - 1, y + h - 1)
        elif cp == 0x2590:
            r = (x + w // 2, y, x + w - 1, y + h - 1)
        elif cp == 0x2594:
            r = (x, y, x + w - 1, y + max(1, h // 8) - 1)
        elif cp == 0x2595:
            r = (x + w - max(1, w // 8), y, x + w - 1, y + h - 1)
        elif cp in (0x2591, 0x2592, 0x2593):
            d.rectangle([x, y, x + w - 1, y + h - 1], fill=blend(bg, fg, (cp - 0x2590) / 4))
            return True
        if r is None:
            return False
        d.rectangle(list(r), fill=fg)
        return True

    def render(self, grid, cols, rows, cursor, title):
        s = self.scale
        pad = 14 * s
        bar = (30 * s) if title is not None else 0
        width = cols * self.cw + 2 * pad
        height = rows * self.ch + 2 * pad + bar
        img = Image.new("RGB", (width, height), BG)
        d = ImageDraw.Draw(img)
        if title is not None:
            d.rectangle([0, 0, width - 1, bar - 1], fill=CHROME)
            r = 6 * s
            for i, c in enumerate(((0xFF, 0x5F, 0x57), (0xFE, 0xBC, 0x2E), (0x28, 0xC8, 0x40))):
                cx = pad + r + i * (r * 2 + 8 * s)
                d.ellipse([cx - r, bar // 2 - r, cx + r, bar // 2 + r], fill=c)
            tf = ImageFont.truetype(find_font("DejaVuSans.ttf"), 13 * s)
            d.text((width // 2, bar // 2), title, font=tf, fill=CHROME_TEXT, anchor="mm")
        top = pad + bar

        for y in range(rows):
            for x in range(cols):
                cell = grid[y][x]
                if cell is not None and cell.width == 0:
                    continue  # right half of a wide character, drawn with it
                attr = cell.attr if cell else None
                w = self.cw * (cell.width if cell else 1)
                fg = (attr.fg if attr and attr.fg else (FG_BOLD if attr and attr.bold else FG))
                bg = attr.bg if attr and attr.bg else BG
                if attr and attr.dim:
                    fg = blend(fg, bg, 0.45)
                rev = bool(attr and attr.reverse)
                if cursor == (x, y):
                    rev = not rev
                if rev:
                    fg, bg = bg, fg
                px, py = pad + x * self.cw, top + y * self.ch
                if bg != BG:
                    d.rectangle([px, py, px + w - 1, py + self.ch - 1], fill=bg)
                if cell is None or cell.text == " ":
                    continue
                cp = ord(cell.text[0])
                if len(cell.text) == 1 and cp in BOX:
                    self.box(d, px, py, w, BOX[cp], fg)
                elif len(cell.text) == 1 and 0x2580 <= cp <= 0x259F and self.block(d, px, py, w, cp, fg, bg):
                    pass
                else:
                    font = self.pick_font(cell.text, attr.bold)
                    self.glyph(img, d, font, cell.text, px, py, w, fg)
                if attr.underline:
                    uy = py + self.baseline + 2 * s
                    d.rectangle([px, uy, px + w - 1, uy + self.light - 1], fill=fg)
                if attr.strike:
                    sy = py + self.ch // 2
                    d.rectangle([px, sy, px + w - 1, sy + self.light - 1], fill=fg)
        return img

    def glyph(self, img, d, font, text, px, py, w, fg):
        if font is self.font or font is self.bold:
            d.text((px, py + self.baseline), text, font=font, fill=fg, anchor="ls")
            return
        # A fallback font: centre the glyph in its cells, shrunk to fit.
        try:
            left, top, right, bottom = d.textbbox((0, 0), text, font=font, anchor="ls")
        except Exception:
            return
        gw = right - left
        if gw <= w:
            d.text((px + (w - gw) // 2 - left, py + self.baseline), text, font=font, fill=fg, anchor="ls")
            return
        tmp = Image.new("RGBA", (gw, bottom - top), (0, 0, 0, 0))
        ImageDraw.Draw(tmp).text((-left, -top), text, font=font, fill=fg + (255,), anchor="ls")
        nh = max(1, round(tmp.height * w / gw))
        tmp = tmp.resize((w, nh), Image.LANCZOS)
        img.paste(tmp, (px, py + max(0, (self.ch - nh) // 2)), tmp)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("capture", help="text with ANSI SGR sequences (capture-pane -p -e)")
    ap.add_argument("output", help="the PNG to write")
    ap.add_argument("--cols", type=int, help="columns (default: the capture's widest line)")
    ap.add_argument("--rows", type=int, help="rows (default: the capture's lines)")
    ap.add_argument("--cursor", help="X,Y: draw a block cursor in that cell (0-based)")
    ap.add_argument("--title", help="draw a window title bar with this text")
    ap.add_argument("--font-size", type=int, default=15)
    ap.add_argument("--scale", type=int, default=1, help="pixels per point, e.g. 2 for HiDPI")
    args = ap.parse_args()

    with open(args.capture, encoding="utf-8", errors="replace") as f:
        data = f.read()
    cols, rows = capture_size(data)
    cols = args.cols or cols
    rows = args.rows or rows
    cursor = None
    if args.cursor:
        cx, cy = (int(v) for v in args.cursor.split(","))
        cursor = (cx, cy)
    grid = parse(data, cols, rows)
    img = Renderer(args.font_size, args.scale).render(grid, cols, rows, cursor, args.title)
    img.save(args.output, optimize=True)


if __name__ == "__main__":
    main()
