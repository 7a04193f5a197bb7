"""Charts for reports, as PNG bytes (matplotlib, Agg, no pyplot and no global figure state).

Text is set in DejaVu Sans, which has every Vietnamese letter; numbers are written the
Vietnamese way (1.234,5). Charts are drawn for a width of 15 cm at 150 dpi, so the sizes in
points below are the sizes on paper. A missing value (None) is drawn as "…" ("chưa có số
liệu", the convention of Vietnamese statistical tables), never as a zero bar.
"""

from __future__ import annotations

import io
import math
import os
import tempfile
import textwrap
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from phoihop.core.formatting import number_vi

FONT = "DejaVu Sans"
DPI = 150
CM = 1 / 2.54
COLORS = ("#1f4e79", "#c0504d", "#4f8a3c", "#e69138", "#7e5ca8", "#3d8fb0")
MISSING = "…"
MISSING_NOTE = "… : chưa có số liệu"
REACHED, NOT_REACHED = "#4f8a3c", "#e69138"

Number = int | float | Decimal | None


def _ensure_config_dir() -> None:
    """Give matplotlib a writable cache directory when HOME is not writable (servers, CI)."""
    if os.environ.get("MPLCONFIGDIR"):
        return
    home = Path(os.path.expanduser("~"))
    if home.is_dir() and os.access(home, os.W_OK):
        return
    os.environ["MPLCONFIGDIR"] = tempfile.mkdtemp(prefix="phoihop-mpl-")


def _matplotlib():
    _ensure_config_dir()
    import matplotlib
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter

    return matplotlib, Figure, FuncFormatter


def _rc() -> dict:
    return {
        "font.family": "sans-serif",
        "font.sans-serif": [FONT],
        "font.size": 8,
        "axes.titlesize": 10,
        "axes.titleweight": "bold",
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.edgecolor": "#444444",
        "svg.fonttype": "none",
    }



def _axes(width_cm: float, height_cm: float, *, empty: bool):
    """A figure of that size and its axes; an empty chart says so instead of drawing nothing."""
    _mpl, figure, _formatter = _matplotlib()
    fig = figure(figsize=(width_cm * CM, height_cm * CM))
    ax = fig.add_subplot()
    if empty:
        ax.axis("off")
        ax.text(0.5, 0.5, "Chưa có số liệu", ha="center", va="center", fontsize=10)
    return fig, ax

def _number(value: object) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)  # int, float, Decimal, numeric strings
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) or math.isinf(number) else number


def fmt(value: float, decimals: int = 2) -> str:
    """1234.5 → '1.234,5' (at most `decimals` digits after the comma)."""
    rounded = round(value, decimals)
    if rounded == int(rounded):
        return number_vi(int(rounded))
    return number_vi(Decimal(str(rounded)))


def _wrap(label: object, width: int) -> str:
    text = " ".join(str(label or "").split())
    return "\n".join(textwrap.wrap(text, width=max(width, 6), break_long_words=True)) or " "


def _png(fig) -> bytes:
    """Draw with the same rc settings as at creation (tick labels are made at draw time)."""
    matplotlib, _figure, _formatter = _matplotlib()
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)
    buffer = io.BytesIO()
    with matplotlib.rc_context(_rc()):
        fig.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()


def bar_chart(categories: Sequence[str], series: dict[str, Sequence[Number]], title: str = "",
              unit: str = "", *, width_cm: float = 15.0, height_cm: float | None = None) -> bytes:
    """Grouped bars as PNG: one group per category, one bar per series (legend when more than
    one). Up to 8 categories with short labels are drawn as columns; more, or long labels, as
    horizontal bars so Vietnamese labels stay readable."""
    fig = bar_chart_figure(categories, series, title, unit, width_cm=width_cm,
                           height_cm=height_cm)
    return _png(fig)


def bar_chart_figure(categories: Sequence[str], series: dict[str, Sequence[Number]],
                     title: str = "", unit: str = "", *, width_cm: float = 15.0,
                     height_cm: float | None = None):
    """The matplotlib Figure behind `bar_chart` (for tests and for callers who add to it)."""
    matplotlib, _figure, FuncFormatter = _matplotlib()
    cats = [str(c) if c is not None else "" for c in categories]
    names = list(series) or [""]
    values = {name: [_number(v) for v in list(series.get(name, []))[:len(cats)]]
              for name in names}
    for name in names:
        values[name] += [None] * (len(cats) - len(values[name]))
    n, k = len(cats), len(names)
    missing = any(v is None for name in names for v in values[name])

    per_category_chars = int((width_cm - 2.5) * 28.35 / max(n, 1) / (8 * 0.62))
    wrapped = [_wrap(c, per_category_chars) for c in cats]
    horizontal = n > 8 or any(w.count("\n") >= 3 for w in wrapped)
    if horizontal:
        wrapped = [_wrap(c, 28) for c in cats]
        lines = sum(w.count("\n") + 1 for w in wrapped)
        height_cm = height_cm or min(22.0, 3.0 + max(n * (0.35 + 0.3 * k), lines * 0.38))
    else:
        height_cm = height_cm or 8.5 + 0.35 * max((w.count("\n") for w in wrapped), default=0)

    with matplotlib.rc_context(_rc()):
        fig, ax = _axes(width_cm, height_cm, empty=not cats)
        group = 0.8
        bar = group / k
        top = max((v for name in names for v in values[name] if v is not None), default=0.0)
        bottom = min((v for name in names for v in values[name] if v is not None), default=0.0)
        span = (max(top, 0) - min(bottom, 0)) or 1.0
        for s, name in enumerate(names):
            color = COLORS[s % len(COLORS)]
            for i, value in enumerate(values[name]):
                pos = i - group / 2 + bar * (s + 0.5)
                if value is None:
                    if horizontal:
                        ax.text(span * 0.01, pos, MISSING, va="center", ha="left",
                                color="#333333", fontsize=9, fontweight="bold")
                    else:
                        ax.text(pos, span * 0.01, MISSING, ha="center", va="bottom",
                                color="#333333", fontsize=9, fontweight="bold")
                    continue
                label = name if i == next((j for j, v in enumerate(values[name])
                                           if v is not None), -1) else None
                nudge = span * (0.01 if value >= 0 else -0.01)
                if horizontal:
                    ax.barh(pos, value, height=bar * 0.92, color=color, label=label)
                    ax.text(value + nudge, pos, fmt(value), va="center",
                            ha="left" if value >= 0 else "right", fontsize=7)
                else:
                    ax.bar(pos, value, width=bar * 0.92, color=color, label=label)
                    ax.text(pos, value + nudge, fmt(value), ha="center",
                            va="bottom" if value >= 0 else "top", fontsize=7 if k < 4 else 6)
        formatter = FuncFormatter(lambda v, _pos: fmt(v))
        if cats:
            if horizontal:
                ax.set_yticks(range(n), wrapped)
                ax.invert_yaxis()
                ax.xaxis.set_major_formatter(formatter)
                ax.set_xlim(min(bottom, 0) - span * 0.02, max(top, 0) + span * 0.15)
                if unit:
                    ax.set_xlabel(unit)
                ax.grid(axis="x", color="#dddddd", linewidth=0.6)
            else:
                ax.set_xticks(range(n), wrapped)
                ax.yaxis.set_major_formatter(formatter)
                ax.set_ylim(min(bottom, 0), max(top, 0) + span * 0.12)
                if unit:
                    ax.set_ylabel(unit)
                ax.grid(axis="y", color="#dddddd", linewidth=0.6)
            ax.set_axisbelow(True)
            ax.tick_params(length=0)
        if title:
            ax.set_title(_wrap(title, 70))
        bottom_band = 0.0
        if k > 1 and cats:
            fig.legend(*ax.get_legend_handles_labels(), loc="lower left", frameon=False,
                       fontsize=8, ncol=min(k, 4), handlelength=1.2)
            bottom_band = 0.6 / height_cm
        if missing:
            fig.text(0.99, 0.01, MISSING_NOTE, ha="right", va="bottom", fontsize=7,
                     color="#555555")
            bottom_band = max(bottom_band, 0.5 / height_cm)
        fig.tight_layout(rect=(0, bottom_band, 1, 1))
        return fig


def achievement_chart(labels: Sequence[str], values: Sequence[Number],
                      targets: Sequence[Number], title: str = "", unit: str = "", *,
                      width_cm: float = 15.0) -> bytes:
    """Each indicator against its target, as PNG; see `achievement_figure`."""
    return _png(achievement_figure(labels, values, targets, title, unit, width_cm=width_cm))


def achievement_figure(labels: Sequence[str], values: Sequence[Number],
                       targets: Sequence[Number], title: str = "", unit: str = "", *,
                       width_cm: float = 15.0):
    """Each indicator against its target, as a percentage of the target.

    Indicators have different units, so the bars show value / target × 100 % against a dashed
    line at 100 % (the target); beside each bar "value / target (percent)", with `unit` after
    the figures when given. Green when the target is reached, orange when not. An indicator
    without a target gets no bar, only its value and "chưa có chỉ tiêu"; a missing value is "…".
    """
    matplotlib, _figure, FuncFormatter = _matplotlib()
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    names = [str(x) if x is not None else "" for x in labels]
    n = len(names)
    vals = ([_number(v) for v in values] + [None] * n)[:n]
    tgts = ([_number(t) for t in targets] + [None] * n)[:n]
    pcts = [v / t * 100 if v is not None and t else None for v, t in zip(vals, tgts, strict=True)]
    wrapped = [_wrap(x, 30) for x in names]
    lines = sum(w.count("\n") + 1 for w in wrapped)
    height_cm = min(22.0, 3.4 + max(n * 0.8, lines * 0.4))
    limit = min(max([120.0] + [p * 1.1 for p in pcts if p is not None]), 300.0)
    suffix = f" {unit}" if unit else ""
    with matplotlib.rc_context(_rc()):
        fig, ax = _axes(width_cm, height_cm, empty=not names)
        for i, (value, target, pct) in enumerate(zip(vals, tgts, pcts, strict=True)):
            shown = fmt(value) if value is not None else MISSING
            if pct is not None:
                ax.barh(i, min(pct, limit), height=0.55,
                        color=REACHED if pct >= 100 else NOT_REACHED)
                text = f"{shown} / {fmt(target)}{suffix} ({fmt(pct, 1)}%)"
                x = min(pct, limit)
            elif target:
                text = f"{MISSING} / {fmt(target)}{suffix}"
                x = 0.0
            else:
                text = f"{shown}{suffix} (chưa có chỉ tiêu)"
                x = 0.0
            inside = x > limit * 0.62
            ax.text(x - limit * 0.01 if inside else x + limit * 0.01, i, text, va="center",
                    ha="right" if inside else "left", fontsize=7,
                    color="white" if inside else ("#222222" if pct is not None else "#555555"))
        if names:
            ax.axvline(100, color="black", linewidth=1.2, linestyle="--")
            ax.set_yticks(range(n), wrapped)
            ax.invert_yaxis()
            ax.set_xlim(0, limit)
            ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{fmt(v)}%"))
            ax.set_xlabel("Tỷ lệ so với chỉ tiêu")
            ax.grid(axis="x", color="#dddddd", linewidth=0.6)
            ax.set_axisbelow(True)
            ax.tick_params(length=0)
        if title:
            ax.set_title(_wrap(title, 70))
        handles = [Patch(color=REACHED, label="Đạt chỉ tiêu"),
                   Patch(color=NOT_REACHED, label="Chưa đạt"),
                   Line2D([], [], color="black", linewidth=1.2, linestyle="--",
                          label="Chỉ tiêu (100%)")]
        fig.legend(handles=handles, loc="lower left", ncol=len(handles), frameon=False,
                   fontsize=7, handlelength=1.6)
        if any(v is None for v in vals):
            fig.text(0.99, 0.01, MISSING_NOTE, ha="right", va="bottom", fontsize=7,
                     color="#555555")
        fig.tight_layout(rect=(0, 0.7 / height_cm, 1, 1))
        return fig
