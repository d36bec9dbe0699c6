"""Plotly figures as plain dicts (data + layout), ready for Plotly.newPlot.

Plain dicts rather than plotly.graph_objects: a dashboard builds several figures per request and
the objects' validation would cost more than the page. The colours are the portal's status
colours; every trace also carries the status word, so nothing depends on colour alone. The words
are in the active language (the plan dashboard is cached per language).
"""

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from indicators.core.vocabulary import STATUS_COLOURS as STATUS_COLORS
from indicators.core.vocabulary import STATUS_LABELS, STATUS_ORDER

FONT = {"family": "Noto Sans CJK SC, PingFang SC, Microsoft YaHei, sans-serif", "size": 12}


def _label(status):
    return _(STATUS_LABELS[status]) if status in STATUS_LABELS else ""


def _layout(**extra):
    layout = {
        "font": FONT,
        "margin": {"l": 10, "r": 10, "t": 60, "b": 40},
        "paper_bgcolor": "#fff",
        "plot_bgcolor": "#fff",
        "legend": {"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom"},
    }
    layout.update(extra)
    return layout


def figure(data, layout):
    locale = "en" if (get_language() or "").startswith("en") else "zh-CN"
    return {"data": data, "layout": layout, "config": {"displaylogo": False, "responsive": True, "locale": locale}}


def category_stack(by_category, title=None):
    """Stacked horizontal bars: per category, how many indicators are in each status."""
    title = title or _("各方面指标达标情况")
    categories = list(by_category)
    data = []
    for status in STATUS_ORDER:
        counts = [by_category[c].get(status, 0) for c in categories]
        if not any(counts):
            continue
        data.append(
            {
                "type": "bar",
                "orientation": "h",
                "name": _label(status),
                "y": categories,
                "x": counts,
                "marker": {"color": STATUS_COLORS[status]},
                "text": [f"{_label(status)} {n}" if n else "" for n in counts],
                "textposition": "inside",
                "hovertemplate": "%{y}: " + _label(status) + " %{x}<extra></extra>",
            }
        )
    height = 120 + 36 * len(categories)
    return figure(
        data,
        _layout(
            title={"text": title, "x": 0},
            barmode="stack",
            showlegend=False,  # every bar says its status, and the page's legend sits above the chart
            height=height,
            yaxis={"automargin": True, "autorange": "reversed"},
            xaxis={"title": {"text": _("指标数")}, "dtick": 1},
        ),
    )


def status_heatmap(rows, years, title=None):
    """rows: [(label, {year: status})]. Discrete colours, and the status word in every cell."""
    title = title or _("指标×年份 达标状态")
    index = {status: i for i, status in enumerate(STATUS_ORDER)}
    z, text = [], []
    for _row_label, statuses in rows:
        z.append([index.get(statuses.get(y)) if statuses.get(y) else None for y in years])
        text.append([_label(statuses.get(y)) for y in years])
    n = len(STATUS_ORDER)
    scale = []
    for i, status in enumerate(STATUS_ORDER):
        scale.append([i / n, STATUS_COLORS[status]])
        scale.append([(i + 1) / n, STATUS_COLORS[status]])
    return figure(
        [
            {
                "type": "heatmap",
                "x": [str(y) for y in years],
                "y": [label for label, _v in rows],
                "z": z,
                "text": text,
                "texttemplate": "%{text}",
                "hovertemplate": "%{y}<br>%{x}: %{text}<extra></extra>",
                "colorscale": scale,
                "zmin": -0.5,
                "zmax": n - 0.5,
                "showscale": False,
                "xgap": 2,
                "ygap": 2,
            }
        ],
        _layout(
            title={"text": title, "x": 0},
            height=max(220, 90 + 26 * len(rows)),
            yaxis={"automargin": True, "autorange": "reversed"},
            xaxis={"side": "top", "type": "category"},
            # On a phone (static/js/charts.js) the names shorten and the cells keep only their colour:
            # the words would not fit, and the hover and the legend still say them.
            meta={"narrow_y": [_short(label) for label, _v in rows]},
        ),
    )


def _short(label, width=9):
    return label if len(label) <= width else label[: width - 1] + "…"


def indicator_lines(*, name, unit, values, target_path, projection=None, standard=None, statuses=None):
    """Values by year, the target path, the trend projection and the national standard value.

    values / target_path / projection: [(year, number)]; statuses: {year: status} for the markers.
    """
    statuses = statuses or {}
    data = []
    if values:
        data.append(
            {
                "type": "scatter",
                "mode": "lines+markers+text",
                "name": _("实际值"),
                "x": [y for y, _v in values],
                "y": [float(v) for _y, v in values],
                "text": [_label(statuses.get(y)) for y, _v in values],
                "textposition": "top center",
                "marker": {"size": 10, "color": [STATUS_COLORS.get(statuses.get(y), "#1b1f24") for y, _v in values]},
                "line": {"color": "#1b1f24"},
                "hovertemplate": "%{x}: %{y}" + unit + " %{text}<extra></extra>",
            }
        )
    if target_path:
        data.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": _("目标路径"),
                "x": [y for y, _v in target_path],
                "y": [float(v) for _y, v in target_path],
                "line": {"dash": "dash", "color": "#0b5cad"},
                "marker": {"symbol": "diamond"},
            }
        )
    if projection:
        data.append(
            {
                "type": "scatter",
                "mode": "lines",
                "name": _("趋势外推"),
                "x": [y for y, _v in projection],
                "y": [float(v) for _y, v in projection],
                "line": {"dash": "dot", "color": "#6b4e00"},
            }
        )
    if standard is not None:
        years = [y for y, _v in values + target_path] or [0]
        data.append(
            {
                "type": "scatter",
                "mode": "lines",
                "name": _("国家标准值"),
                "x": [min(years), max(years)],
                "y": [float(standard), float(standard)],
                "line": {"color": "#6f42c1", "width": 1},
            }
        )
    return figure(
        data,
        _layout(
            title={"text": name, "x": 0},
            height=360,
            xaxis={"title": {"text": _("年份")}, "dtick": 1},
            yaxis={"title": {"text": unit or _("数值")}, "automargin": True},
        ),
    )


def project_timeline(projects):
    """projects: [(label, start_year, end_year, schedule_status, schedule_label)] as bars over years."""
    colors = {
        "completed": "#1a7f37",
        "ongoing": "#0b5cad",
        "overdue": "#c62828",
        "not_started": "#9aa0a6",
        "unreported": "#f2b705",
    }
    rows = [p for p in projects if p[1]]
    data = [
        {
            "type": "bar",
            "orientation": "h",
            "y": [p[0] for p in rows],
            "x": [(p[2] or p[1]) - p[1] + 1 for p in rows],
            "base": [p[1] for p in rows],
            "marker": {"color": [colors.get(p[3], "#9aa0a6") for p in rows]},
            "text": [p[4] for p in rows],
            "textposition": "inside",
            "customdata": [p[2] or p[1] for p in rows],
            "hovertemplate": "%{y}<br>%{base}–%{customdata}<extra></extra>",
            "name": _("建设期"),
        }
    ]
    return figure(
        data,
        _layout(
            title={"text": _("重点项目建设期"), "x": 0},
            height=max(220, 80 + 22 * len(rows)),
            yaxis={"automargin": True, "autorange": "reversed", "tickfont": {"size": 10}},
            xaxis={"title": {"text": _("年份")}, "dtick": 1},
            showlegend=False,
        ),
    )


def investment_bars(categories):
    """categories: [(name, planned, completed)] in 万元: planned vs completed."""
    names = [c[0] for c in categories]
    return figure(
        [
            {
                "type": "bar",
                "orientation": "h",
                "name": _("计划投资"),
                "y": names,
                "x": [float(c[1] or 0) for c in categories],
                "marker": {"color": "#c4c8cc"},
            },
            {
                "type": "bar",
                "orientation": "h",
                "name": _("累计完成投资"),
                "y": names,
                "x": [float(c[2] or 0) for c in categories],
                "marker": {"color": "#0b5cad"},
            },
        ],
        _layout(
            title={"text": _("投资执行（万元）"), "x": 0},
            barmode="group",
            height=max(220, 90 + 40 * len(names)),
            yaxis={"automargin": True, "autorange": "reversed", "tickfont": {"size": 10}},
        ),
    )
