"""CJK fonts for PDFs: discovery, subsetting and reportlab registration.

Chinese text in PDFs needs a CJK font: :func:`find_cjk_font` looks at
``SATISFY_PDF_FONT`` and the usual Noto/WenQuanYi/Droid paths; the font is subset to
the characters used and (for CFF-flavoured OpenType such as Noto Sans CJK) converted
to TrueType outlines, which reportlab can embed. Without one, :class:`FontMissingError`
says how to install or configure it.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any


class FontMissingError(RuntimeError):
    """No CJK font for Chinese text in a PDF."""


CJK_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJKsc-Regular.otf",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
)


def find_cjk_font() -> Path | None:
    """``SATISFY_PDF_FONT`` if set (it must exist), else the first known CJK font."""
    configured = os.environ.get("SATISFY_PDF_FONT", "")
    if configured:
        path = Path(configured)
        if not path.exists():
            raise FontMissingError(
                f"SATISFY_PDF_FONT points to {configured}, which does not exist."
            )
        return path
    for candidate in CJK_CANDIDATES:
        if Path(candidate).exists():
            return Path(candidate)
    return None


def needs_cjk(text: str) -> bool:
    return any(ord(ch) > 0x2E7F for ch in text)


def _ttc_index(path: Path) -> int:
    """The Simplified Chinese face of a collection, else the first."""
    if path.suffix.lower() != ".ttc":
        return 0
    from fontTools.ttLib import TTCollection  # type: ignore[import-untyped]

    coll = TTCollection(str(path), lazy=True)
    for i, face in enumerate(coll.fonts):
        name = face["name"].getDebugName(4) or ""
        if " SC" in name or "SC " in name or name.endswith("SC"):
            return i
    return 0


def embeddable_font(path: Path, text: str, ps_name: str = "") -> Path:
    """A TrueType subset of ``path`` with the characters of ``text`` (reportlab-ready).

    ``ps_name`` renames the font (PostScript name): reportlab keeps the first font
    registered under a face name, so each report's subset needs a name of its own.
    """
    from fontTools import subset  # type: ignore[import-untyped]
    from fontTools.ttLib import TTFont

    font = TTFont(str(path), fontNumber=_ttc_index(path), lazy=False)
    options = subset.Options()
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.layout_features = []
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text + "0123456789.,:;-–—%()/ ▲▼■·")
    subsetter.subset(font)
    if "CFF " in font:
        _cff_to_glyf(font)
    if ps_name:
        for record in font["name"].names:
            if record.nameID == 6:
                record.string = ps_name
    with tempfile.NamedTemporaryFile(
        prefix="satisfy-font-", suffix=".ttf", delete=False
    ) as handle:
        font.save(handle)
    return Path(handle.name)


def _forget_font(name: str) -> None:
    """Drop a per-report font from reportlab's registry (it would grow forever)."""
    from reportlab.pdfbase import pdfmetrics

    fonts = getattr(pdfmetrics, "_fonts", {})
    faces = getattr(pdfmetrics, "_dynFaceNames", {})
    font = fonts.pop(name, None)
    face = getattr(getattr(font, "face", None), "name", None)
    if face is not None:
        faces.pop(face, None)


def _cff_to_glyf(font: Any) -> None:
    """Convert cubic CFF outlines to quadratic TrueType ones (fontTools' otf2ttf)."""
    from fontTools.pens.cu2quPen import Cu2QuPen  # type: ignore[import-untyped]
    from fontTools.pens.ttGlyphPen import TTGlyphPen  # type: ignore[import-untyped]
    from fontTools.ttLib import newTable

    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    glyf.compile(font)
    hmtx = font["hmtx"]
    for name, glyph in glyf.glyphs.items():
        if hasattr(glyph, "xMin"):
            hmtx[name] = (hmtx[name][0], glyph.xMin)
    font["maxp"] = maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for attr in (
        "maxZones",
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
    ):
        setattr(maxp, attr, 1 if attr == "maxZones" else 0)
    maxp.compile(font)
    post = font["post"]
    post.formatType = 2.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = order
    font.sfntVersion = "\000\001\000\000"
