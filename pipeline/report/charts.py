"""Bar charts as geometry: the page's template draws them as inline SVG (no script, no network).

A missing value draws no bar and prints a dash, so "not stated" never looks
like zero.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from pipeline.report.labels import number


@dataclass(frozen=True)
class Series:
    """One coloured series of a bar chart; ``notes`` become per-bar tooltips."""

    name: str
    color: str
    values: Sequence[float | None]
    notes: Sequence[str] | None = None


@dataclass
class Chart:
    """What the template needs to draw one horizontal grouped bar chart."""

    title: str
    width: int
    height: int
    legend: list[dict] = field(default_factory=list)
    labels: list[dict] = field(default_factory=list)
    bars: list[dict] = field(default_factory=list)
    values: list[dict] = field(default_factory=list)


def bar_chart(title: str, labels: Sequence[str], series: Sequence[Series], *, unit: str = "") -> Chart:
    """One group per label, one bar per series, scaled to the largest value."""
    bar, gap, label_w, plot_w, value_w, top = 14, 12, 300, 480, 130, 46
    group_h = bar * len(series) + gap
    chart = Chart(title, label_w + plot_w + value_w, top + group_h * len(labels) + 10)
    peak = max((v for s in series for v in s.values if v is not None), default=0) or 1
    x = label_w
    for s in series:
        chart.legend.append({"x": x, "color": s.color, "name": s.name})
        x += 24 + 8 * len(s.name)
    for g, name in enumerate(labels):
        y0 = top + g * group_h
        chart.labels.append({"x": label_w - 8, "y": y0 + group_h / 2, "full": name,
                             "short": name if len(name) <= 36 else name[:35] + "…"})  # fmt: skip
        for k, s in enumerate(series):
            value, y = s.values[g], y0 + k * bar
            note = s.notes[g] if s.notes else ""
            width = max(1.0, plot_w * value / peak) if value is not None else 0.0
            if value is not None:
                tip = f"{name} · {s.name} : {number(value, unit)}" + (f" ({note})" if note else "")
                chart.bars.append({"x": label_w, "y": y, "w": f"{width:.1f}", "h": bar - 2, "color": s.color, "tip": tip})
            chart.values.append({"x": f"{label_w + width + 4:.1f}", "y": y + bar - 4, "text": number(value, unit)})
    return chart
