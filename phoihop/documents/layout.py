"""What an official document says, as plain data; `docx_writer.render` decides how it looks.

No Django here: the reviews and programs apps build these objects from their models, tests build
them by hand. Texts may arrive dirty (pasted Word/HTML, legacy TCVN3/VNI bytes, control
characters): the writer cleans them (see `phoihop.documents.text`) and marks what it cannot use.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

Cell = str | int | float | Decimal | None


@dataclass
class Issuer:
    """One issuing body: its header block ("ô 2", "ô 3") and its signature block ("ô 7").

    `name` and `parent_name` are printed in capitals; put "\\n" in them to choose where a long
    name breaks ("BAN CHỈ HUY QUÂN SỰ\\nTHÀNH PHỐ BẮC NINH").
    """

    name: str
    parent_name: str = ""
    is_party: bool = False
    number: int | str | None = None
    symbol: str = ""
    kind_abbr: str = "BC"
    issuer_abbr: str = ""
    signer_authority: str = ""
    signer_title: str = ""
    signer_name: str = ""

    def number_text(self) -> str:
        """The "Số" line.

        State body (Decree 30/2020, Annex I, II.3): "Số: 15/BC-BCHQS", "Số: 05/BC-BCHQS".
        Party body (HD 36-HD/VPTW): "Số 15-BC/BDVTU", without a colon.
        A missing number leaves a blank to fill by hand: "Số:       /BC-BCHQS".
        `symbol`, when given, replaces everything after the number ("BC-BCHQS" for a state
        body, "BC/BDVTU" for a Party body).
        """
        number = _number(self.number)
        if self.is_party:
            symbol = self.symbol or f"{self.kind_abbr}/{self.issuer_abbr or '…'}"
            return f"Số {number or '      '}-{symbol}"
        symbol = self.symbol or f"{self.kind_abbr}-{self.issuer_abbr or '…'}"
        return f"Số: {number or '       '}/{symbol}"


def _number(value: int | str | None) -> str:
    if value is None:
        return ""
    text = str(value).strip()
    if text.isdecimal() and int(text) < 10:
        return f"{int(text):02d}"
    return text


@dataclass
class Heading:
    """A section heading. The caller writes the numbering: "I. Đặc điểm tình hình", "1. …", "a) …".

    Level 1 is printed bold in capitals, level 2 bold, level 3 bold italic, deeper levels italic.
    """

    text: str
    level: int = 1


@dataclass
class Paragraph:
    """Body text. A "\\n" in `text` starts a new paragraph.

    `gap=True` marks missing content: the writer prints "[Chưa có nội dung: <text>]" highlighted,
    so a reader sees at once what is still to be written. Empty text is treated as a gap too.
    """

    text: str
    italic: bool = False
    bold: bool = False
    gap: bool = False


@dataclass
class Table:
    """A table of figures. Numbers are printed the Vietnamese way (1.234.567,5), right-aligned.

    `numeric_columns`: indexes of right-aligned columns; None → every column whose values are
    all numbers (or None). `widths_cm`: one width per column; None → computed. `total_row`: the
    last row is printed bold. None cells are printed empty.
    """

    headers: list[str]
    rows: list[list[Cell]]
    caption: str = ""
    numeric_columns: set[int] | None = None
    widths_cm: list[float] | None = None
    total_row: bool = False


@dataclass
class Image:
    """A picture (PNG/JPEG bytes, e.g. from `charts`), centred, with an optional caption below."""

    data: bytes
    width_cm: float = 15
    caption: str = ""


Block = Heading | Paragraph | Table | Image


@dataclass
class Document:
    """A whole document: header blocks, kind and title, body, signatures and recipients.

    One issuer gives the ordinary layout; two or more give a joint document (every issuer's
    header block and signature block side by side, at most three to a row).
    `motto`: "auto" takes the national motto of a state lead issuer (`issuers[0]`) or
    "ĐẢNG CỘNG SẢN VIỆT NAM" for a Party lead issuer; "state" or "party" forces one.
    `date=None` leaves "ngày … tháng … năm …" blank to fill by hand.
    """

    issuers: list[Issuer]
    kind: str
    title: str
    place: str
    date: dt.date | None
    blocks: list[Block] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    archive: str = "VT"
    draft_watermark: str = ""
    motto: Literal["auto", "state", "party"] = "auto"

    @property
    def is_joint(self) -> bool:
        return len(self.issuers) > 1

    @property
    def party_motto(self) -> bool:
        if self.motto == "auto":
            return bool(self.issuers) and self.issuers[0].is_party
        return self.motto == "party"
