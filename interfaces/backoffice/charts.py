"""Charts drawn on the server as inline SVG: no JavaScript library, nothing fetched from the internet.

Each chart is an ``<figure>`` whose SVG has ``role="img"`` and a text title, followed by a table with the same
numbers (the text alternative: screen readers, printing, copying the figures).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class Series:
    name: str
    colour: str
    values: list[int]


def _table(caption: str, head: list[str], rows: list[list[str]]) -> SafeString:
    header = format_html_join("", '<th scope="col">{}</th>', ((h,) for h in head))
    body = format_html_join("", "<tr>{}</tr>", (
        (format_html('<th scope="row">{}</th>', r[0]) + format_html_join("", "<td>{}</td>", ((c,) for c in r[1:])),)
        for r in rows))
    return format_html('<details class="chart-table"><summary>{}</summary><table><caption>{}</caption>'
                       "<thead><tr>{}</tr></thead><tbody>{}</tbody></table></details>",
                       "ดูเป็นตาราง", caption, header, body)


def horizontal_bars(*, chart_id: str, title: str, rows: list[tuple[str, int, str]], value_head: str,
                    colour: str = "#2f6fb0") -> SafeString:
    """One bar per row: (label, value, the value as shown)."""
    width, label_w, bar_h, gap = 720, 260, 22, 8
    top = max((v for _l, v, _t in rows), default=0) or 1
    height = max(len(rows), 1) * (bar_h + gap) + gap
    parts = []
    for i, (label, value, shown) in enumerate(rows):
        y = gap + i * (bar_h + gap)
        w = round((width - label_w - 200) * value / top)  # room for the value after the bar
        parts.append(
            f'<text x="{label_w - 8}" y="{y + bar_h * 0.7:.0f}" text-anchor="end" class="chart-label">'
            f'{escape(label[:38])}</text>'
            f'<rect x="{label_w}" y="{y}" width="{max(w, 1)}" height="{bar_h}" fill="{colour}"></rect>'
            f'<text x="{label_w + w + 6}" y="{y + bar_h * 0.7:.0f}" class="chart-value">{escape(shown)}</text>')
    if not rows:
        parts.append(f'<text x="10" y="22" class="chart-label">{escape("ยังไม่มีข้อมูล")}</text>')
    svg = (f'<svg role="img" aria-labelledby="{chart_id}-title" viewBox="0 0 {width} {height}" '
           f'width="100%" preserveAspectRatio="xMinYMin meet" class="chart"><title id="{chart_id}-title">'
           f'{escape(title)}</title>{"".join(parts)}</svg>')
    table = _table(title, ["รายการ", value_head], [[label, shown] for label, _v, shown in rows])
    return format_html('<figure class="chart-figure" id="{}"><figcaption>{}</figcaption>{}{}</figure>',
                       chart_id, title, mark_safe(svg), table)


def stacked_columns(*, chart_id: str, title: str, labels: list[str], series: list[Series],
                    every: int = 5) -> SafeString:
    """One column per label (e.g. a day), its series stacked; the x axis names every ``every``-th label."""
    width, height, left, bottom, top_pad = 760, 260, 40, 40, 10
    n = max(len(labels), 1)
    totals = [sum(s.values[i] for s in series) for i in range(len(labels))]
    top = max(totals, default=0) or 1
    plot_h = height - bottom - top_pad
    step = (width - left - 10) / n
    parts = [f'<line x1="{left}" y1="{height - bottom}" x2="{width - 10}" y2="{height - bottom}" '
             'stroke="#888"></line>',
             f'<text x="{left - 6}" y="{top_pad + 10}" text-anchor="end" class="chart-value">{top}</text>',
             f'<text x="{left - 6}" y="{height - bottom}" text-anchor="end" class="chart-value">0</text>']
    for i, label in enumerate(labels):
        y = height - bottom
        for s in series:
            h = plot_h * s.values[i] / top
            if h > 0:
                y -= h
                parts.append(f'<rect x="{left + i * step + 1:.1f}" y="{y:.1f}" width="{max(step - 2, 1):.1f}" '
                             f'height="{h:.1f}" fill="{s.colour}"><title>{escape(label)} {escape(s.name)}: '
                             f'{s.values[i]}</title></rect>')
        if i % every == 0 or i == len(labels) - 1:
            parts.append(f'<text x="{left + i * step + step / 2:.1f}" y="{height - bottom + 16}" '
                         f'text-anchor="middle" class="chart-value">{escape(label)}</text>')
    for j, s in enumerate(series):
        x = left + j * 150
        parts.append(f'<rect x="{x}" y="{height - 14}" width="12" height="12" fill="{s.colour}"></rect>'
                     f'<text x="{x + 16}" y="{height - 4}" class="chart-value">{escape(s.name)}</text>')
    svg = (f'<svg role="img" aria-labelledby="{chart_id}-title" viewBox="0 0 {width} {height}" width="100%" '
           f'class="chart"><title id="{chart_id}-title">{escape(title)}</title>{"".join(parts)}</svg>')
    rows = [[label, *[str(s.values[i]) for s in series], str(totals[i])] for i, label in enumerate(labels)]
    table = _table(title, ["วันที่", *[s.name for s in series], "รวม"], rows)
    return format_html('<figure class="chart-figure" id="{}"><figcaption>{}</figcaption>{}{}</figure>',
                       chart_id, title, mark_safe(svg), table)
