"""Colour arithmetic for accessibility checks: contrast ratios and colour-vision simulation.

WCAG 2.1 asks text to contrast at least 4.5:1 with its background (1.4.3); the
app's own colours (theme, chart text, hover labels) are checked with
``contrast``. The palettes must stay apart for readers with a colour-vision
deficiency: ``simulate`` applies the matrices of Machado, Oliveira and
Fernandes (2009, IEEE TVCG 15(6), severity 1.0), the model browsers' and
Datawrapper's checks use, and ``distance`` measures what is left (CIELAB ΔE*ab).
Small, exact formulas: no library is needed for them.
"""

from __future__ import annotations

import math

RGB = tuple[float, float, float]
NAMED = {"white": "#ffffff", "black": "#000000"}  # the CSS names the app's code uses

# Machado et al. 2009, full severity, applied to linear RGB.
CVD_MATRICES: dict[str, tuple[RGB, RGB, RGB]] = {
    "protanopia": (
        (0.152286, 1.052583, -0.204868),
        (0.114503, 0.786281, 0.099216),
        (-0.003882, -0.048116, 1.051998),
    ),
    "deuteranopia": (
        (0.367322, 0.860646, -0.227968),
        (0.280085, 0.672501, 0.047413),
        (-0.011820, 0.042940, 0.968881),
    ),
    "tritanopia": (
        (1.255528, -0.076749, -0.178779),
        (-0.078411, 0.930809, 0.147602),
        (0.004733, 0.691367, 0.303900),
    ),
}


def parse(colour: str) -> RGB:
    """« #0072B2 » (or « #07b ») as sRGB components in 0–1."""
    text = NAMED.get(colour.strip().lower(), colour).strip().lstrip("#")
    if len(text) == 3:
        text = "".join(c * 2 for c in text)
    if len(text) != 6:
        raise ValueError(f"not a #rrggbb colour: {colour!r}")
    return (int(text[0:2], 16) / 255, int(text[2:4], 16) / 255, int(text[4:6], 16) / 255)


def to_hex(rgb: RGB) -> str:
    """sRGB components in 0–1 as « #rrggbb »."""
    return "#" + "".join(f"{round(min(1.0, max(0.0, c)) * 255):02x}" for c in rgb)


def over(colour: str, opacity: float, background: str = "#ffffff") -> str:
    """A colour drawn at ``opacity`` over ``background`` (Streamlit's faded captions)."""
    fg, bg = parse(colour), parse(background)
    mixed = tuple(opacity * f + (1 - opacity) * b for f, b in zip(fg, bg, strict=True))
    return to_hex((mixed[0], mixed[1], mixed[2]))


def _linear(c: float) -> float:
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def _gamma(c: float) -> float:
    c = min(1.0, max(0.0, c))
    return c * 12.92 if c <= 0.0031308 else 1.055 * c ** (1 / 2.4) - 0.055


def luminance(colour: str) -> float:
    """WCAG relative luminance."""
    r, g, b = (_linear(c) for c in parse(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(foreground: str, background: str) -> float:
    """WCAG contrast ratio, 1 to 21."""
    a, b = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def simulate(colour: str, deficiency: str) -> str:
    """How ``colour`` looks with ``deficiency`` (protanopia, deuteranopia, tritanopia)."""
    matrix = CVD_MATRICES[deficiency]
    linear = [_linear(c) for c in parse(colour)]
    out = [sum(m * c for m, c in zip(row, linear, strict=True)) for row in matrix]
    return to_hex((_gamma(out[0]), _gamma(out[1]), _gamma(out[2])))


def lab(colour: str) -> RGB:
    """CIELAB (D65) of an sRGB colour."""
    r, g, b = (_linear(c) for c in parse(colour))
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29

    fx, fy, fz = f(x), f(y), f(z)
    return (116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz))


def distance(first: str, second: str) -> float:
    """CIE76 colour difference ΔE*ab (about 2.3 is just noticeable; 10+ is clearly apart)."""
    return math.dist(lab(first), lab(second))
