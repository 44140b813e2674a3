"""Draw the default site icons in static/brand/ (run again after changing the mark below).

The mark is a white "N" on the default accent, as polygons rather than a font, so the
SVG favicon and the PNG fallbacks look the same everywhere. A publisher with its own
icons replaces the files (same names) before collectstatic.

    .venv/bin/python bench/make_brand_icons.py
"""

from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parent.parent / "static" / "brand"
ACCENT = "#a4161a"
GRID = 64  # the SVG's viewBox
N_SHAPE = [(16, 50), (16, 14), (24, 14), (40, 36), (40, 14), (48, 14), (48, 50), (40, 50), (24, 28), (24, 50)]
PNG_SIZES = {"favicon-32.png": 32, "icon-180.png": 180, "icon-192.png": 192, "icon-512.png": 512}


def svg() -> str:
    points = " ".join(f"{x},{y}" for x, y in N_SHAPE)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {GRID} {GRID}">'
        f'<rect width="{GRID}" height="{GRID}" rx="12" fill="{ACCENT}"/>'
        f'<polygon points="{points}" fill="#fff"/></svg>\n'
    )


def png(size: int, *, rounded: bool) -> Image.Image:
    scale = 4  # drawn large and scaled down: smooth edges without a vector renderer
    big = size * scale
    k = big / GRID
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 0, big - 1, big - 1), radius=12 * k if rounded else 0, fill=ACCENT)
    draw.polygon([(x * k, y * k) for x, y in N_SHAPE], fill="#ffffff")
    return image.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "favicon.svg").write_text(svg(), encoding="utf-8")
    for name, size in PNG_SIZES.items():
        # Home-screen icons are masked by the system: square, no transparent corners.
        png(size, rounded=name == "favicon-32.png").save(OUT / name, optimize=True)
        print(f"{OUT / name}")


if __name__ == "__main__":
    main()
