"""Paint the sample content's pictures in articles/sample_content/images/ (run once; the JPEGs are committed).

The sample site needs pictures that look like a small news site's photos, and
we cannot ship other people's photographs, so these are painted in code with
Pillow only. Each picture has its own fixed seed, so a re-run gives the same
files (for the same Pillow version).

    .venv/bin/python bench/make_sample_images.py
"""

from __future__ import annotations

import math
import random
from itertools import pairwise
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

OUT = Path(__file__).resolve().parents[1] / "articles" / "sample_content" / "images"
SUPERSAMPLE = 2  # painted at twice the size and scaled down: smooth edges without per-shape anti-aliasing
QUALITY = 82

RGB = tuple[int, int, int]


# --- Helpers ----------------------------------------------------------------


def mix(a: RGB, b: RGB, t: float) -> RGB:
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def gradient(size: tuple[int, int], stops: list[tuple[float, RGB]], *, horizontal: bool = False) -> Image.Image:
    """A linear gradient through (position 0..1, colour) stops, smoothstepped between them."""
    w, h = size
    n = w if horizontal else h
    colours = []
    for i in range(n):
        t = i / max(n - 1, 1)
        for (p0, c0), (p1, c1) in pairwise(stops):
            if t <= p1:
                u = 0.0 if p1 == p0 else min(max((t - p0) / (p1 - p0), 0.0), 1.0)
                colours.append(mix(c0, c1, u * u * (3 - 2 * u)))
                break
        else:
            colours.append(stops[-1][1])
    strip = Image.new("RGB", (n, 1) if horizontal else (1, n))
    strip.putdata(colours)
    return strip.resize(size, Image.Resampling.NEAREST)


def new_mask(size) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    mask = Image.new("L", size, 0)
    return mask, ImageDraw.Draw(mask)


def glow(img: Image.Image, centre, radius: float, colour: RGB, strength: float, blur: float) -> None:
    mask, draw = new_mask(img.size)
    x, y = centre
    draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=round(255 * strength))
    img.paste(colour, (0, 0), mask.filter(ImageFilter.GaussianBlur(blur)))


def rolling(rng: random.Random, w: int, y: float, amp: float, waves: int = 4):
    """A smooth ridge (sum of sines): returns (points, height-at-x function)."""
    parts = [
        (rng.uniform(0.6, 1.0) * amp / (k + 1) ** 0.7, rng.uniform(0.8, 1.8) * (k + 1), rng.uniform(0, math.tau))
        for k in range(waves)
    ]

    def at(x: float) -> float:
        return y + sum(a * math.sin(f * math.tau * x / w + p) for a, f, p in parts)

    step = max(w // 400, 2)
    return [(x, at(x)) for x in range(0, w + step, step)], at


def jagged(rng: random.Random, w: int, y: float, amp: float, rough: float = 0.55, steps: int = 9):
    """A rough ridge by midpoint displacement, for mountains."""
    n = 2**steps
    pts = [0.0] * (n + 1)
    pts[0], pts[n] = rng.uniform(-1, 1) * amp, rng.uniform(-1, 1) * amp
    step, scale = n, amp
    while step > 1:
        half = step // 2
        for i in range(half, n, step):
            pts[i] = (pts[i - half] + pts[i + half]) / 2 + rng.uniform(-1, 1) * scale
        step, scale = half, scale * rough
    return [(w * i / n, y + pts[i]) for i in range(n + 1)]


def fill_below(img: Image.Image, ridge, fill, *, alpha: int = 255, bottom: float | None = None) -> Image.Image:
    """Fill the area under a ridge line with a colour or an image; returns the mask used."""
    w, h = img.size
    mask, draw = new_mask(img.size)
    floor = h if bottom is None else bottom
    draw.polygon([*ridge, (w, floor), (0, floor)], fill=alpha)
    img.paste(fill, (0, 0), mask)
    return mask


def ripple(img: Image.Image, rng: random.Random, amp: float, band: int) -> Image.Image:
    """Shift thin horizontal bands sideways, more towards the bottom: a water surface."""
    w, h = img.size
    out = img.copy()
    for y in range(0, h, band):
        depth = 0.25 + y / h
        dx = round((math.sin(y * 0.09 / band * 4) * amp + rng.uniform(-amp, amp) * 0.6) * depth)
        row = img.crop((0, y, w, min(y + band, h)))
        out.paste(row, (dx, y))
        out.paste(row, (dx - w if dx > 0 else dx + w, y))
    return out


def water_reflection(img: Image.Image, top: int, rng: random.Random, tint: RGB, tint_amount: float, s: float):
    """Mirror everything above the waterline `top` into the water below it."""
    w, h = img.size
    depth = h - top
    above = img.crop((0, max(top - depth, 0), w, top)).transpose(Image.Transpose.FLIP_TOP_BOTTOM)
    mirrored = Image.new("RGB", (w, depth), tint)
    mirrored.paste(above, (0, 0))
    mirrored = ripple(mirrored, rng, 5 * s, max(round(3 * s), 1))
    mirrored = mirrored.filter(ImageFilter.GaussianBlur((6 * s, 1.5 * s)))
    # Deeper water shows more of its own colour and less of the sky.
    fade = gradient(
        (w, depth), [(0, (round(255 * tint_amount),) * 3), (1, (round(255 * min(tint_amount + 0.3, 1)),) * 3)]
    )
    mirrored = Image.composite(Image.new("RGB", (w, depth), tint), mirrored, fade.convert("L"))
    img.paste(mirrored, (0, top))
    draw = ImageDraw.Draw(img, "RGBA")
    for _ in range(int(140 * s)):
        y = top + depth * rng.random() ** 1.6
        x = rng.uniform(-0.1, 1) * w
        length = rng.uniform(20, 120) * s * (0.4 + (y - top) / depth)
        draw.line((x, y, x + length, y), fill=(255, 255, 255, rng.randint(14, 40)), width=max(round(s), 1))


def finish(img: Image.Image, rng: random.Random, *, grain: int = 3, vignette: float = 0.28) -> Image.Image:
    """Scale to the final size, darken the corners a little and add film grain."""
    w, h = img.size[0] // SUPERSAMPLE, img.size[1] // SUPERSAMPLE
    img = img.resize((w, h), Image.Resampling.LANCZOS)
    small = Image.new("L", (64, 64))
    small.putdata(
        [
            round(255 * vignette * min(1.0, max(0.0, math.hypot(x - 31.5, y - 31.5) / 45 - 0.45) / 0.55) ** 1.6)
            for y in range(64)
            for x in range(64)
        ]
    )
    img = Image.composite(Image.new("RGB", (w, h)), img, small.resize((w, h), Image.Resampling.BICUBIC))
    noise = Image.frombytes("L", (w, h), rng.randbytes(w * h)).point(lambda v: v * (2 * grain + 1) // 256)
    noise = Image.merge("RGB", (noise,) * 3)
    return ImageChops.add(img, noise, 1.0, -grain)


def sky_with_clouds(img: Image.Image, rng: random.Random, count: int, top: float, bottom: float, s: float) -> None:
    """Soft cumulus: clusters of circles, blurred, lit from above."""
    w, h = img.size
    body, draw = new_mask(img.size)
    shade, shade_draw = new_mask(img.size)
    for _ in range(count):
        cx, cy = rng.uniform(-0.05, 1.05) * w, rng.uniform(top, bottom) * h
        size = rng.uniform(40, 90) * s * (0.6 + (cy / h - top) / max(bottom - top, 0.01))
        for _ in range(rng.randint(6, 11)):
            x = cx + rng.uniform(-2.4, 2.4) * size
            y = cy - rng.uniform(0, 0.9) * size
            r = size * rng.uniform(0.5, 1.0)
            draw.ellipse((x - r, y - r, x + r, min(y + r, cy + 0.25 * size)), fill=255)
            shade_draw.ellipse((x - r, y - r * 0.1, x + r, min(y + r, cy + 0.25 * size)), fill=110)
    img.paste((252, 252, 255), (0, 0), body.filter(ImageFilter.GaussianBlur(5 * s)))
    img.paste((196, 204, 220), (0, 0), ImageChops.multiply(shade, body).filter(ImageFilter.GaussianBlur(14 * s)))


def birds(draw: ImageDraw.ImageDraw, rng: random.Random, area, count: int, colour, s: float) -> None:
    x0, y0, x1, y1 = area
    for _ in range(count):
        x, y = rng.uniform(x0, x1), rng.uniform(y0, y1)
        span = rng.uniform(6, 13) * s
        dip = rng.uniform(0.2, 0.5) * span
        draw.line(
            [
                (x - span, y - dip),
                (x - span / 2, y - dip * 1.3),
                (x, y),
                (x + span / 2, y - dip * 1.3),
                (x + span, y - dip),
            ],
            fill=colour,
            width=max(round(1.6 * s), 1),
            joint="curve",
        )


# --- Scenes -----------------------------------------------------------------


def sunset_hills(rng: random.Random, w: int, h: int) -> Image.Image:
    s = w / 1600
    img = gradient(
        (w, h),
        [
            (0, (36, 34, 88)),
            (0.3, (104, 60, 124)),
            (0.5, (214, 110, 104)),
            (0.62, (250, 168, 98)),
            (1, (255, 214, 150)),
        ],
    )
    sun = (w * 0.63, h * 0.55)
    glow(img, sun, 430 * s, (255, 196, 120), 0.5, 170 * s)
    glow(img, sun, 150 * s, (255, 226, 160), 0.75, 50 * s)
    glow(img, sun, 50 * s, (255, 248, 222), 1.0, 2 * s)

    # Long thin clouds, pink above and gold near the sun.
    for _ in range(16):
        mask, draw = new_mask(img.size)
        y = rng.uniform(0.1, 0.46) * h
        x = rng.uniform(-0.1, 0.95) * w
        length, thick = rng.uniform(180, 520) * s, rng.uniform(5, 16) * s
        draw.ellipse((x, y, x + length, y + thick), fill=rng.randint(120, 210))
        colour = mix((226, 120, 150), (255, 196, 130), min(y / h / 0.46, 1))
        img.paste(colour, (0, 0), mask.filter(ImageFilter.GaussianBlur(4 * s)))

    layers = [
        (0.62, 34, (200, 122, 126)),
        (0.67, 46, (160, 90, 118)),
        (0.74, 54, (110, 62, 102)),
        (0.82, 60, (66, 40, 80)),
        (0.92, 56, (32, 20, 46)),
    ]
    for i, (base, amp, colour) in enumerate(layers):
        ridge, at = rolling(rng, w, base * h, amp * s, waves=3 + i % 2)
        fill_below(img, ridge, colour)
        if i < len(layers) - 1:
            # Mist settles in the valley in front of each ridge.
            mist, draw = new_mask(img.size)
            draw.rectangle((0, base * h + amp * s * 0.6, w, base * h + amp * s * 2.2), fill=70)
            img.paste((255, 190, 150), (0, 0), mist.filter(ImageFilter.GaussianBlur(26 * s)))
        if i == len(layers) - 1:
            draw = ImageDraw.Draw(img)
            for _ in range(9):
                x = rng.uniform(0.02, 0.45) * w
                tree_h = rng.uniform(40, 90) * s
                ground = at(x) + 4 * s
                draw.line((x, ground, x, ground - tree_h * 0.5), fill=colour, width=round(5 * s))
                draw.ellipse(
                    (x - tree_h * 0.32, ground - tree_h, x + tree_h * 0.32, ground - tree_h * 0.35), fill=colour
                )
    birds(ImageDraw.Draw(img), rng, (w * 0.3, h * 0.22, w * 0.48, h * 0.34), 6, (50, 30, 60), s)
    return img


def city_dusk(rng: random.Random, w: int, h: int) -> Image.Image:
    s = w / 1600
    horizon = round(h * 0.66)
    img = gradient(
        (w, h),
        [
            (0, (20, 28, 70)),
            (0.22, (44, 66, 128)),
            (0.42, (124, 118, 168)),
            (0.56, (236, 156, 122)),
            (0.66, (255, 196, 142)),
            (1, (60, 50, 80)),
        ],
    )
    draw = ImageDraw.Draw(img, "RGBA")
    for _ in range(int(120 * s)):
        x, y = rng.uniform(0, w), rng.uniform(0, 0.25) * h
        r = rng.uniform(0.6, 1.5) * s
        draw.ellipse((x - r, y - r, x + r, y + r), fill=(255, 255, 240, rng.randint(60, 200)))
    glow(img, (w * 0.3, horizon), 520 * s, (255, 184, 130), 0.45, 180 * s)

    windows = Image.new("RGB", img.size)
    win_draw = ImageDraw.Draw(windows)
    warm = [(255, 212, 130), (255, 228, 170), (255, 196, 110), (190, 214, 255)]
    for far, colour, (lo, hi), lit in ((True, (62, 64, 108), (50, 190), 0.12), (False, (24, 26, 48), (90, 400), 0.32)):
        x = -rng.uniform(0, 60) * s
        while x < w:
            bw = rng.uniform(40, 110 if far else 170) * s
            bh = rng.uniform(lo, hi) * s * (0.6 if 0.3 < x / w < 0.45 and not far else 1)
            top = horizon - bh
            draw.rectangle((x, top, x + bw, horizon), fill=colour)
            if not far and rng.random() < 0.35:
                # A stepped crown or a mast with its red warning light.
                if rng.random() < 0.5:
                    draw.rectangle((x + bw * 0.2, top - bh * 0.12, x + bw * 0.8, top), fill=colour)
                else:
                    mx = x + bw * 0.5
                    draw.line((mx, top, mx, top - 60 * s), fill=colour, width=round(3 * s))
                    win_draw.ellipse((mx - 3 * s, top - 63 * s, mx + 3 * s, top - 57 * s), fill=(255, 60, 50))
            gap_x, gap_y = (9 if far else 15) * s, (13 if far else 20) * s
            cols = max(int((bw - 8 * s) // gap_x), 1)
            for row in range(int((bh - 12 * s) // gap_y)):
                for col in range(cols):
                    if rng.random() < lit * (0.6 if far else 1):
                        wx, wy = x + 6 * s + col * gap_x, top + 10 * s + row * gap_y
                        win_draw.rectangle((wx, wy, wx + gap_x * 0.45, wy + gap_y * 0.45), fill=rng.choice(warm))
            x += bw + (rng.uniform(0, 14) * s if far else 0)
    img = ImageChops.lighter(img, windows)
    img = ImageChops.add(img, windows.filter(ImageFilter.GaussianBlur(6 * s)).point(lambda v: v * 7 // 10))

    # A low bridge with a string of lamps across the river.
    draw = ImageDraw.Draw(img, "RGBA")
    deck = horizon - 18 * s
    draw.rectangle((0, deck, w, deck + 10 * s), fill=(20, 20, 38))
    for i in range(9):
        px = w * (i + 0.5) / 9
        draw.rectangle((px - 8 * s, deck, px + 8 * s, horizon + 2 * s), fill=(20, 20, 38))
    lamps = Image.new("RGB", img.size)
    lamp_draw = ImageDraw.Draw(lamps)
    for i in range(40):
        lx = w * (i + 0.5) / 40
        lamp_draw.ellipse((lx - 3 * s, deck - 5 * s, lx + 3 * s, deck + 1 * s), fill=(255, 226, 160))
    img = ImageChops.add(
        ImageChops.lighter(img, lamps), lamps.filter(ImageFilter.GaussianBlur(8 * s)).point(lambda v: v * 3 // 4)
    )

    water_reflection(img, horizon, rng, (18, 22, 46), 0.35, s)
    return img


def boat(draw: ImageDraw.ImageDraw, x: float, waterline: float, length: float, rng: random.Random, hull: RGB) -> None:
    """A small fishing or sailing boat, bow to the right, sitting on waterline."""
    height = length * 0.2
    draw.polygon(
        [
            (x, waterline - height),
            (x + length * 1.08, waterline - height * 1.25),
            (x + length * 0.92, waterline),
            (x + length * 0.08, waterline),
        ],
        fill=hull,
    )
    stripe = (245, 245, 240) if sum(hull) < 400 else (30, 70, 140)
    draw.line(
        (x + length * 0.02, waterline - height * 0.72, x + length * 1.02, waterline - height * 0.98),
        fill=stripe,
        width=max(round(height * 0.12), 1),
    )
    draw.line(
        (x, waterline - height, x + length * 1.08, waterline - height * 1.25),
        fill=(250, 250, 246),
        width=max(round(height * 0.08), 1),
    )
    if rng.random() < 0.5:
        # Wheelhouse.
        cx = x + length * rng.uniform(0.2, 0.35)
        top = waterline - height * 2.3
        draw.rectangle((cx, top, cx + length * 0.3, waterline - height * 1.05), fill=(244, 242, 236))
        for i in range(3):
            wx = cx + length * (0.03 + i * 0.09)
            draw.rectangle((wx, top + height * 0.3, wx + length * 0.06, top + height * 0.7), fill=(50, 70, 90))
        draw.line(
            (cx + length * 0.15, top, cx + length * 0.15, top - height * 2.2),
            fill=(60, 60, 60),
            width=max(round(length / 120), 1),
        )
    else:
        # Sailing boat with a furled sail and rigging.
        mx = x + length * 0.45
        top = waterline - length * 1.3
        draw.line((mx, waterline - height, mx, top), fill=(230, 230, 226), width=max(round(length / 70), 1))
        thin = max(round(length / 200), 1)
        draw.line((mx, top, x + length * 1.06, waterline - height * 1.2), fill=(200, 200, 200), width=thin)
        draw.line((mx, top, x + length * 0.02, waterline - height), fill=(200, 200, 200), width=thin)
        draw.line(
            (mx, waterline - height * 2.2, x + length * 0.05, waterline - height * 1.6),
            fill=(40, 60, 110),
            width=max(round(length / 40), 2),
        )


def harbour(rng: random.Random, w: int, h: int) -> Image.Image:
    s = w / 1600
    waterline = round(h * 0.6)
    img = gradient((w, h), [(0, (112, 166, 214)), (0.4, (176, 206, 230)), (0.6, (246, 224, 196)), (1, (246, 224, 196))])
    sky_with_clouds(img, rng, 5, 0.08, 0.3, s)
    glow(img, (w * 0.8, h * 0.45), 300 * s, (255, 236, 200), 0.45, 120 * s)

    headland, at = rolling(rng, w, h * 0.52, 26 * s, waves=3)
    fill_below(img, headland, (126, 150, 158))
    draw = ImageDraw.Draw(img)
    lx = w * 0.86
    ly = at(lx)
    draw.rectangle((lx - 7 * s, ly - 70 * s, lx + 7 * s, ly + 4 * s), fill=(246, 244, 238))
    draw.rectangle((lx - 7 * s, ly - 48 * s, lx + 7 * s, ly - 38 * s), fill=(196, 60, 50))
    draw.polygon([(lx - 9 * s, ly - 70 * s), (lx + 9 * s, ly - 70 * s), (lx, ly - 82 * s)], fill=(196, 60, 50))

    # Harbour-front houses on the quay, pastel with dark roofs.
    palette = [
        (236, 200, 150),
        (206, 112, 92),
        (240, 230, 210),
        (150, 184, 196),
        (232, 186, 96),
        (176, 198, 160),
        (214, 150, 160),
        (244, 236, 224),
    ]
    quay_top = waterline - 26 * s
    x = -10 * s
    while x < w * 0.66:
        bw = rng.uniform(70, 120) * s
        bh = rng.uniform(90, 170) * s
        top = quay_top - bh
        colour = rng.choice(palette)
        draw.rectangle((x, top, x + bw, quay_top), fill=colour)
        draw.rectangle((x + bw - 6 * s, top, x + bw, quay_top), fill=mix(colour, (60, 60, 70), 0.25))
        roof = rng.choice([(84, 72, 72), (120, 62, 50), (70, 80, 96)])
        if rng.random() < 0.6:
            draw.polygon([(x - 3 * s, top), (x + bw + 3 * s, top), (x + bw / 2, top - bw * 0.45)], fill=roof)
        else:
            draw.rectangle((x - 3 * s, top - 10 * s, x + bw + 3 * s, top), fill=roof)
        for row in range(int((bh - 30 * s) // (34 * s))):
            for col in range(int(bw // (30 * s))):
                wx, wy = x + 12 * s + col * 30 * s, top + 16 * s + row * 34 * s
                draw.rectangle((wx, wy, wx + 13 * s, wy + 19 * s), fill=(58, 66, 78))
                draw.line((wx, wy + 19 * s, wx + 13 * s, wy + 19 * s), fill=(250, 250, 246), width=round(2 * s))
        x += bw
    draw.rectangle((0, quay_top, w * 0.66, waterline), fill=(150, 140, 128))
    for i in range(int(w * 0.66 // (40 * s))):
        draw.line((i * 40 * s, quay_top, i * 40 * s, waterline), fill=(128, 118, 108), width=max(round(s), 1))
    draw.line((0, quay_top, w * 0.66, quay_top), fill=(190, 182, 170), width=round(3 * s))
    # The breakwater running out to the right.
    draw.polygon(
        [(w * 0.66, quay_top + 6 * s), (w, waterline - 8 * s), (w, waterline), (w * 0.66, waterline)],
        fill=(140, 134, 126),
    )

    water_reflection(img, waterline, rng, (44, 96, 124), 0.35, s)

    # Boats, nearer ones bigger and lower in the frame; each with its own reflection.
    hulls = [(196, 52, 44), (250, 250, 246), (36, 92, 150), (32, 96, 74), (232, 180, 40), (250, 250, 246)]
    spots = sorted([(rng.uniform(0.05, 0.8), rng.uniform(0.0, 1.0)) for _ in range(6)], key=lambda p: p[1])
    for (fx, depth), hull in zip(spots, hulls, strict=True):
        line = waterline + (20 + depth * 250) * s
        length = (90 + depth * 230) * s
        layer = Image.new("RGBA", img.size, (0, 0, 0, 0))
        boat(ImageDraw.Draw(layer), fx * w, line, length, rng, hull)
        top = int(line - length * 1.4)
        above = layer.crop((0, top, w, int(line))).transpose(Image.Transpose.FLIP_TOP_BOTTOM)
        reflection = Image.new("RGBA", img.size, (0, 0, 0, 0))
        reflection.paste(above, (0, int(line)))
        r, g, b, a = reflection.split()
        a = a.point(lambda v: v * 45 // 100)
        reflection = ripple(Image.merge("RGBA", (r, g, b, a)), rng, 3 * s, max(round(3 * s), 1))
        img.paste(reflection, (0, 0), reflection)
        img.paste(layer, (0, 0), layer)
    birds(ImageDraw.Draw(img), rng, (w * 0.55, h * 0.1, w * 0.85, h * 0.3), 5, (70, 76, 90), s)
    return img


def turbine(img: Image.Image, x: float, ground: float, size: float, angle: float, haze: float, sky: RGB) -> None:
    white, shade = mix((244, 246, 248), sky, haze), mix((196, 202, 214), sky, haze)
    draw = ImageDraw.Draw(img)
    hub = (x, ground - size)
    draw.polygon(
        [(x - size * 0.03, ground), (x + size * 0.03, ground), (x + size * 0.012, hub[1]), (x - size * 0.012, hub[1])],
        fill=white,
    )
    draw.polygon([(x + size * 0.005, ground), (x + size * 0.03, ground), (x + size * 0.012, hub[1])], fill=shade)
    draw.rounded_rectangle(
        (x - size * 0.03, hub[1] - size * 0.025, x + size * 0.07, hub[1] + size * 0.02), radius=size * 0.015, fill=white
    )
    for k in range(3):
        a = angle + k * math.tau / 3
        ux, uy = math.cos(a), math.sin(a)
        px, py = -uy, ux
        blade = size * 0.62
        root, tip = 0.035 * size, 0.008 * size
        draw.polygon(
            [
                (hub[0] + px * root, hub[1] + py * root),
                (hub[0] + ux * blade * 0.25 + px * root * 1.2, hub[1] + uy * blade * 0.25 + py * root * 1.2),
                (hub[0] + ux * blade + px * tip, hub[1] + uy * blade + py * tip),
                (hub[0] + ux * blade, hub[1] + uy * blade),
                (hub[0] - px * root * 0.4, hub[1] - py * root * 0.4),
            ],
            fill=white if k else shade,
        )
    r = size * 0.028
    draw.ellipse((hub[0] - r, hub[1] - r, hub[0] + r, hub[1] + r), fill=shade)


def wind_turbines(rng: random.Random, w: int, h: int) -> Image.Image:
    s = w / 1600
    sky_horizon = (214, 230, 240)
    img = gradient((w, h), [(0, (64, 124, 196)), (0.45, (138, 184, 228)), (0.62, sky_horizon), (1, sky_horizon)])
    sky_with_clouds(img, rng, 9, 0.1, 0.45, s)

    far, far_at = rolling(rng, w, h * 0.6, 18 * s)
    fill_below(img, far, (140, 168, 160))
    for i in range(5):
        x = w * (0.45 + i * 0.11 + rng.uniform(-0.02, 0.02))
        turbine(img, x, far_at(x) + 4 * s, rng.uniform(90, 110) * s, rng.uniform(0, math.tau), 0.45, sky_horizon)

    fields = [
        (0.66, 22, (150, 176, 96), (126, 156, 80)),
        (0.72, 26, (226, 204, 82), (206, 182, 64)),
        (0.8, 30, (112, 156, 72), (94, 138, 60)),
        (0.9, 34, (168, 182, 92), (146, 162, 78)),
    ]
    for i, (base, amp, colour, stripe) in enumerate(fields):
        ridge, at = rolling(rng, w, base * h, amp * s, waves=3)
        mask = fill_below(img, ridge, colour)
        # Crop rows follow the slope of the field.
        rows = Image.new("RGB", img.size, stripe)
        rows_mask, rows_draw = new_mask(img.size)
        gap = (10 + i * 7) * s
        for k in range(1, 40):
            rows_draw.line([(x, y + k * gap) for x, y in ridge], fill=150, width=max(round((1 + i) * s), 1))
        img.paste(rows, (0, 0), ImageChops.multiply(rows_mask, mask))
        # A hedgerow of round trees along the top of the field.
        draw = ImageDraw.Draw(img)
        hedge = mix((52, 84, 44), sky_horizon, 0.35 * (1 - i / 3))
        x = 0.0
        while x < w:
            r = rng.uniform(5, 11) * s * (1 + i * 0.5)
            y = at(x)
            draw.ellipse((x - r, y - r * 1.3, x + r, y + r * 0.4), fill=hedge)
            x += r * (1.2 if rng.random() < 0.85 else 8)
        if i == 1:
            for x in (w * 0.12, w * 0.3):
                turbine(img, x, at(x) + 2 * s, rng.uniform(220, 260) * s, rng.uniform(0, math.tau), 0.15, sky_horizon)
    return img


def library(rng: random.Random, w: int, h: int) -> Image.Image:
    s = w / 1200
    img = Image.new("RGB", (w, h), (54, 34, 24))
    draw = ImageDraw.Draw(img, "RGBA")
    spine_colours = [
        (124, 36, 36),
        (40, 70, 60),
        (30, 48, 86),
        (150, 110, 60),
        (216, 200, 168),
        (90, 40, 60),
        (70, 90, 50),
        (170, 70, 40),
        (40, 40, 46),
        (196, 160, 90),
        (100, 120, 140),
        (140, 50, 40),
    ]
    side = 46 * s
    shelf_gap, board = 300 * s, 26 * s
    y = 40 * s
    while y + shelf_gap < h:
        inner_top, inner_bottom = y + board, y + shelf_gap
        draw.rectangle((side, inner_top, w - side, inner_bottom), fill=(38, 24, 16))
        x = side + 6 * s
        while x < w - side - 30 * s:
            roll = rng.random()
            bw = rng.uniform(24, 62) * s
            bh = rng.uniform(0.62, 0.9) * (inner_bottom - inner_top)
            colour = mix(rng.choice(spine_colours), (0, 0, 0), rng.uniform(0, 0.25))
            if roll < 0.025:
                x += rng.uniform(30, 70) * s  # a gap on the shelf
                continue
            if roll < 0.07:
                # A book leaning on its neighbour, pivoting on its bottom-left corner.
                lean = math.radians(rng.uniform(10, 22))
                px = x + bh * math.sin(lean)
                right = (bw * math.cos(lean), -bw * math.sin(lean))
                up = (-bh * math.sin(lean), -bh * math.cos(lean))
                corners = [
                    (px, inner_bottom),
                    (px + right[0], inner_bottom + right[1]),
                    (px + right[0] + up[0], inner_bottom + right[1] + up[1]),
                    (px + up[0], inner_bottom + up[1]),
                ]
                if corners[1][0] < w - side - 4 * s:
                    draw.polygon(corners, fill=colour, outline=mix(colour, (0, 0, 0), 0.4), width=round(2 * s))
                    x = corners[1][0] + rng.uniform(0, 3) * s
                    continue
            bw = min(bw, w - side - 4 * s - x)
            top = inner_bottom - bh
            draw.rectangle((x, top, x + bw, inner_bottom), fill=colour)
            draw.rectangle((x, top, x + bw * 0.14, inner_bottom), fill=(*mix(colour, (255, 240, 210), 0.25), 255))
            draw.rectangle((x + bw * 0.8, top, x + bw, inner_bottom), fill=(*mix(colour, (0, 0, 0), 0.35), 255))
            # Gilt bands and a title label on the spine.
            gold = (210, 176, 96, 200)
            for band in range(rng.choice([0, 2, 2, 3])):
                by = top + bh * (0.08 + band * 0.08)
                draw.rectangle((x + bw * 0.08, by, x + bw * 0.92, by + 4 * s), fill=gold)
            if rng.random() < 0.6:
                ly = top + bh * rng.uniform(0.3, 0.45)
                draw.rectangle(
                    (x + bw * 0.22, ly, x + bw * 0.78, ly + bh * 0.22), fill=(*mix(colour, (235, 220, 190), 0.6), 210)
                )
                for t in range(3):
                    ty = ly + bh * 0.04 + t * bh * 0.05
                    draw.line(
                        (x + bw * 0.32, ty, x + bw * 0.68, ty), fill=(60, 40, 30, 150), width=max(round(2 * s), 1)
                    )
            x += bw + rng.uniform(0, 2) * s
        # Shadow cast by the shelf above onto the books.
        shadow, shadow_draw = new_mask(img.size)
        shadow_draw.rectangle((side, inner_top, w - side, inner_top + 40 * s), fill=150)
        img.paste((16, 10, 6), (0, 0), shadow.filter(ImageFilter.GaussianBlur(18 * s)))
        draw = ImageDraw.Draw(img, "RGBA")
        draw.rectangle((0, y, w, y + board), fill=(112, 72, 44))
        draw.rectangle((0, y + board * 0.7, w, y + board), fill=(84, 52, 32))
        draw.line((0, y + 2 * s, w, y + 2 * s), fill=(150, 104, 66), width=round(3 * s))
        y += shelf_gap
    draw.rectangle((0, y, w, h), fill=(112, 72, 44))
    draw.rectangle((0, 0, side, h), fill=(92, 58, 36))
    draw.rectangle((w - side, 0, w, h), fill=(78, 48, 30))
    draw.rectangle((side - 6 * s, 0, side, h), fill=(60, 38, 24))

    # Warm lamplight from the upper left.
    light = gradient((w, h), [(0, (255, 220, 170)), (1, (120, 90, 60))])
    mask, md = new_mask(img.size)
    md.ellipse((-0.4 * w, -0.3 * h, 0.9 * w, 0.6 * h), fill=120)
    img = Image.composite(ImageChops.soft_light(img, light), img, mask.filter(ImageFilter.GaussianBlur(200 * s)))
    return img


def sphere(radius: int, colour: RGB, *, oval: float = 1.0) -> Image.Image:
    """A shaded ball lit from the upper left, as an RGBA sprite: one piece of fruit."""
    w, h = max(round(2 * radius * oval), 2), 2 * radius
    shading, spec, alpha = (Image.new("L", (w, h)) for _ in range(3))
    lx, ly, lz = -0.45, -0.55, 0.7
    shade_px, spec_px, alpha_px = [], [], []
    for y in range(h):
        for x in range(w):
            nx, ny = (x + 0.5 - w / 2) / (w / 2), (y + 0.5 - h / 2) / (h / 2)
            d = nx * nx + ny * ny
            if d > 1:
                shade_px.append(0), spec_px.append(0), alpha_px.append(0)
                continue
            nz = math.sqrt(1 - d)
            lambert = max(nx * lx + ny * ly + nz * lz, 0)
            shade_px.append(round(255 * min(0.25 + 0.85 * lambert, 1)))
            spec_px.append(round(150 * max(lambert - 0.86, 0) / 0.14))
            alpha_px.append(255 if d < 0.92 else round(255 * (1 - d) / 0.08))
    shading.putdata(shade_px), spec.putdata(spec_px), alpha.putdata(alpha_px)
    ball = Image.composite(
        Image.new("RGB", (w, h), mix(colour, (255, 255, 255), 0.12)),
        Image.new("RGB", (w, h), mix(colour, (0, 0, 0), 0.7)),
        shading,
    )
    ball.paste((255, 255, 250), (0, 0), spec.filter(ImageFilter.GaussianBlur(radius * 0.08)))
    ball.putalpha(alpha)
    return ball


def market(rng: random.Random, w: int, h: int) -> Image.Image:
    s = w / 1200
    img = gradient((w, h), [(0, (96, 78, 62)), (0.5, (60, 46, 38)), (1, (40, 30, 26))])
    draw = ImageDraw.Draw(img)

    # Striped awning with a scalloped edge.
    awning_bottom = 210 * s
    stripe = 100 * s
    for i in range(int(w // stripe) + 1):
        colour = (196, 44, 48) if i % 2 == 0 else (244, 236, 220)
        draw.rectangle((i * stripe, 0, (i + 1) * stripe, awning_bottom), fill=colour)
        draw.ellipse(
            (i * stripe, awning_bottom - stripe / 2, (i + 1) * stripe, awning_bottom + stripe / 2), fill=colour
        )
    shadow, sd = new_mask(img.size)
    sd.rectangle((0, awning_bottom, w, awning_bottom + 140 * s), fill=170)
    img.paste((20, 14, 10), (0, 0), shadow.filter(ImageFilter.GaussianBlur(40 * s)))
    fold = gradient((w, int(awning_bottom + stripe / 2)), [(0, (0, 0, 0)), (1, (90, 90, 90))]).convert("L")
    img.paste((30, 20, 16), (0, 0), fold)

    # Pillow's built-in font has no currency signs, so the cards show the name and a price per kilo.
    kinds = [
        ("ORANGES", (240, 140, 28), 40, 1.0),
        ("APPLES", (186, 34, 38), 38, 1.0),
        ("LEMONS", (246, 214, 58), 34, 1.3),
        ("BRAMLEYS", (150, 196, 64), 40, 1.0),
        ("PLUMS", (92, 40, 96), 28, 1.0),
        ("TOMATOES", (214, 48, 34), 32, 1.0),
        ("PEARS", (196, 186, 74), 36, 0.85),
        ("LIMES", (96, 164, 48), 28, 1.15),
        ("PEACHES", (244, 164, 104), 36, 1.0),
    ]
    rng.shuffle(kinds)
    small_font = ImageFont.load_default(size=round(20 * s))
    font = ImageFont.load_default(size=round(30 * s))
    crate_w, crate_h = w / 3, 230 * s
    shadow = Image.new("RGBA", (1, 1), (0, 0, 0, 0))
    for row in range(3):
        top = 380 * s + row * (crate_h + 60 * s)
        for col in range(3):
            name, colour, radius, oval = kinds[row * 3 + col]
            radius *= s * (1 + row * 0.08)
            balls = [sphere(round(radius), mix(colour, tone, 0.1)) for tone in ((0, 0, 0), colour, (255, 255, 255))]
            if oval != 1.0:
                balls = [b.resize((round(b.width * oval), b.height), Image.Resampling.BICUBIC) for b in balls]
            shadow = Image.new("RGBA", balls[0].size, (0, 0, 0, 0))
            ImageDraw.Draw(shadow).ellipse((0, 0, *shadow.size), fill=(16, 10, 6, 150))
            shadow = shadow.filter(ImageFilter.GaussianBlur(radius * 0.25))
            x0 = col * crate_w + 10 * s
            x1 = x0 + crate_w - 20 * s
            # A heap: back rows higher and narrower, each row offset by half a fruit.
            layers = 5
            for layer in range(layers):
                y = top + crate_h * 0.45 - (layers - layer) * radius * 0.55 + layer * radius * 0.45
                indent = (layers - layer) * radius * 0.35
                x = x0 + indent + radius * (0.9 + (layer % 2) * 0.6)
                while x < x1 - indent - radius * 0.6:
                    ball = rng.choice(balls)
                    bx = round(x + rng.uniform(-3, 3) * s - ball.width / 2)
                    by = round(y + rng.uniform(-3, 3) * s - ball.height / 2)
                    img.paste(shadow, (bx + round(radius * 0.25), by + round(radius * 0.3)), shadow)
                    img.paste(ball, (bx, by), ball)
                    x += radius * oval * 1.85
        draw = ImageDraw.Draw(img)
        # The crates' front boards, then chalkboard cards.
        for col in range(3):
            x0 = col * crate_w + 6 * s
            x1 = x0 + crate_w - 12 * s
            y0 = top + crate_h * 0.55
            for board in range(3):
                by = y0 + board * crate_h * 0.16
                tone = mix((176, 128, 80), (120, 84, 50), (board + col) % 3 / 3)
                draw.rectangle((x0, by, x1, by + crate_h * 0.15), fill=tone)
                draw.line((x0, by, x1, by), fill=(206, 162, 112), width=round(2 * s))
            draw.rectangle((x0, y0, x0 + 12 * s, y0 + crate_h * 0.48), fill=(110, 76, 46))
            draw.rectangle((x1 - 12 * s, y0, x1, y0 + crate_h * 0.48), fill=(110, 76, 46))
            cx, cy = (x0 + x1) / 2, y0 + crate_h * 0.05
            price = f"{rng.choice([1, 1, 2, 2, 3])}.{rng.choice(['00', '20', '50', '80'])} /kg"
            draw.rounded_rectangle(
                (cx - 86 * s, cy - 34 * s, cx + 86 * s, cy + 44 * s),
                radius=6 * s,
                fill=(38, 40, 38),
                outline=(150, 110, 70),
                width=round(4 * s),
            )
            draw.text((cx, cy - 12 * s), kinds[row * 3 + col][0], font=small_font, fill=(236, 210, 120), anchor="mm")
            draw.text((cx, cy + 18 * s), price, font=font, fill=(240, 240, 232), anchor="mm")
    return img


def mountains(rng: random.Random, w: int, base: float, peaks: list[tuple[float, float]]):
    """A range through the given (x fraction, height) peaks: ridge points and the peaks' indices."""
    ctrl = [(-0.05 * w, base - peaks[0][1] * 0.4)]
    for i, (fx, height) in enumerate(peaks):
        ctrl.append((fx * w, base - height))
        if i + 1 < len(peaks):
            nfx, nheight = peaks[i + 1]
            vx = (fx + nfx) / 2 * w + rng.uniform(-0.03, 0.03) * w
            ctrl.append((vx, base - min(height, nheight) * rng.uniform(0.35, 0.6)))
    ctrl.append((1.05 * w, base - peaks[-1][1] * 0.4))
    ridge, peak_at = [], []
    for i, ((x0, y0), (x1, y1)) in enumerate(pairwise(ctrl)):
        if i % 2 == 1:
            peak_at.append(len(ridge))
        # Roughen each straight slope with small midpoint displacements.
        seg = jagged(rng, 1, 0, abs(x1 - x0) * 0.09, rough=0.62, steps=6)
        for t, dy in seg[:-1]:
            ridge.append((x0 + (x1 - x0) * t, y0 + (y1 - y0) * t + dy))
    ridge.append(ctrl[-1])
    return ridge, peak_at


def mountain_lake(rng: random.Random, w: int, h: int) -> Image.Image:
    s = w / 1600
    shore = round(h * 0.64)
    img = gradient((w, h), [(0, (74, 134, 200)), (0.4, (150, 192, 230)), (0.64, (222, 232, 240)), (1, (222, 232, 240))])
    sky_with_clouds(img, rng, 3, 0.06, 0.16, s)

    ranges = (
        (shore, [(0.12, 300), (0.34, 360), (0.6, 330), (0.86, 390)], (150, 168, 200), (232, 238, 248)),
        (shore, [(0.05, 220), (0.25, 420), (0.5, 300), (0.72, 470), (0.95, 260)], (86, 98, 122), (246, 248, 252)),
    )
    for base, peaks, rock, snow in ranges:
        peaks = [(fx, height * s) for fx, height in peaks]
        ridge, peak_at = mountains(rng, w, base, peaks)
        mountain = fill_below(img, ridge, rock, bottom=shore)
        # Light from the left: the face right of each peak's spine is in shadow.
        faces, fd = new_mask(img.size)
        for n, i in enumerate(peak_at):
            end = peak_at[n + 1] if n + 1 < len(peak_at) else len(ridge) - 1
            valley = min(range(i, end + 1), key=lambda k: -ridge[k][1])
            px, py = ridge[i]
            spine = [
                (px + (base - py) * 0.25 * t + rng.uniform(-6, 6) * s, py + (base - py) * t)
                for t in (0.2, 0.4, 0.6, 0.8, 1.0)
            ]
            vx, vy = ridge[valley]
            fd.polygon([*ridge[i : valley + 1], (vx + (base - vy) * 0.5, base), *reversed(spine)], fill=110)
        faces = ImageChops.multiply(faces, mountain)
        snowline = jagged(rng, w, base - max(height for _, height in peaks) * 0.64, 40 * s, rough=0.72)
        cap, cd = new_mask(img.size)
        cd.polygon([(0, 0), (w, 0), *reversed(snowline)], fill=255)
        cap = ImageChops.multiply(cap, mountain)
        img.paste(snow, (0, 0), cap)
        img.paste((24, 30, 56), (0, 0), faces.filter(ImageFilter.GaussianBlur(2 * s)))
        # Haze in front of each range.
        haze = gradient((w, h), [(0, (0, 0, 0)), (0.45, (0, 0, 0)), (0.64, (130, 130, 130)), (1, (130, 130, 130))])
        img.paste((214, 226, 238), (0, 0), haze.convert("L"))

    # Pine forest along the shore.
    draw = ImageDraw.Draw(img)
    band, at = rolling(rng, w, shore - 22 * s, 10 * s)
    fill_below(img, band, (34, 58, 44), bottom=shore)
    for depth in range(3):
        for _ in range(int(w / (9 * s))):
            x = rng.uniform(0, w)
            th = rng.uniform(30, 80) * s * (0.8 + depth * 0.25)
            tw = th * 0.32
            ground = at(x) + depth * 7 * s
            colour = mix((26, 52, 38), (96, 124, 118), 0.3 - depth * 0.12 + rng.uniform(-0.05, 0.05))
            for tier in range(3):
                ty = ground - th * tier * 0.28
                tier_w = tw * (1 - tier * 0.22)
                draw.polygon([(x - tier_w, ty), (x + tier_w, ty), (x, ty - th * 0.55)], fill=colour)
    draw.rectangle((0, shore - 3 * s, w, shore), fill=(30, 46, 36))

    water_reflection(img, shore, rng, (40, 72, 96), 0.25, s)

    # Rocks on the near shore.
    draw = ImageDraw.Draw(img)
    for _ in range(7):
        cx = rng.uniform(-0.05, 0.35) * w
        cy = h - rng.uniform(0, 50) * s
        r = rng.uniform(40, 110) * s
        pts = [
            (cx + math.cos(a) * r * rng.uniform(0.8, 1.2), cy + math.sin(a) * r * 0.55 * rng.uniform(0.8, 1.2))
            for a in [k * math.tau / 9 for k in range(9)]
        ]
        tone = rng.choice([(96, 92, 86), (120, 114, 104), (80, 76, 72)])
        draw.polygon(pts, fill=tone)
        draw.polygon([p for p in pts if p[1] < cy] + [(cx, cy)], fill=mix(tone, (255, 255, 255), 0.18))
    return img


SCENES = {
    "sunset-hills.jpg": (sunset_hills, (1600, 900), 11),
    "city-dusk.jpg": (city_dusk, (1600, 900), 23),
    "harbour.jpg": (harbour, (1600, 900), 37),
    "wind-turbines.jpg": (wind_turbines, (1600, 900), 41),
    "library.jpg": (library, (1200, 1600), 53),
    "market.jpg": (market, (1200, 1200), 67),
    "mountain-lake.jpg": (mountain_lake, (1600, 900), 71),
}


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for name, (paint, (w, h), seed) in SCENES.items():
        rng = random.Random(seed)
        picture = finish(paint(rng, w * SUPERSAMPLE, h * SUPERSAMPLE), rng)
        picture.save(OUT / name, "JPEG", quality=QUALITY, optimize=True, progressive=True)


if __name__ == "__main__":
    main()
