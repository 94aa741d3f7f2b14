"""The size a sheet's text prints at on A4, measured from the print setup written: the scale at
which fit-to-width prints its columns (or the fixed scale), times the font its cells are in; and
the rows each page of a landscape sheet printed at a fixed scale holds (`printed_pages`).

Imported by name (`from print_size import printed_points`)."""

from __future__ import annotations

from collections import Counter

from edgescreen.outputs.xlsx import WIDTH_SLACK, page_body

# A workbook's widths count in its Normal font's digits; only Arial's (FIXED_SCALE_FONT) is the same
# in Excel, WPS and LibreOffice, so only then does the setup say what prints.
RELIABLE_NORMAL_FONTS = {"Arial"}


def print_scale(ws) -> float:
    """The fraction of full size `ws` prints at: its fixed scale, or fit to one page wide, its columns'
    stored widths (Excel's, 7 pixels a character, 0.75 points a pixel) against the page's body."""
    setup = ws.page_setup
    if not (ws.sheet_properties.pageSetUpPr and ws.sheet_properties.pageSetUpPr.fitToPage):
        return (setup.scale or 100) / 100
    assert setup.fitToWidth in (None, 1), "one page wide"
    widths = column_widths(ws)
    needed = sum(w * 7 * 0.75 for w in widths) * WIDTH_SLACK
    return min(1.0, page_body(setup.orientation == "landscape")[0] / needed)


def column_widths(ws) -> list[float]:
    """Each column's stored width, A to the last used. A run of columns of one width is stored once,
    on its first letter (min to max): looked up by letter, the others read as openpyxl's default, 13."""
    widths = [8.43] * ws.max_column
    for d in ws.column_dimensions.values():
        if d.min and d.width:
            for c in range(d.min, min(d.max, ws.max_column) + 1):
                widths[c - 1] = d.width
    return widths


def body_font(ws, first_row: int) -> float:
    """The size most of the cells from `first_row` down are in."""
    sizes = Counter(c.font.sz for row in ws.iter_rows(min_row=first_row) for c in row if c.value is not None)
    return sizes.most_common(1)[0][0]


def printed_points(ws, first_row: int) -> float:
    """The body text's printed size in points; fails where the Normal font leaves it to the renderer."""
    normal = ws.parent._named_styles["Normal"].font.name
    assert normal in RELIABLE_NORMAL_FONTS, f"{ws.title}: widths in {normal}'s digits print as each renderer likes"
    return body_font(ws, first_row) * print_scale(ws)


def printed_pages(ws) -> list[list[int]]:
    """The rows (1-based) each printed page of a sheet holds, as Excel lays it out from what the file
    says: the scale, the margins, the row heights and the manual breaks, the repeated header row
    taking its place on every page after the first. Fails if a page would overflow (a break the
    renderer would add on its own)."""
    assert not ws.sheet_properties.pageSetUpPr.fitToPage, "manual breaks count only without fit-to-page"
    scale = int(ws.page_setup.scale or 100) / 100
    margins = ws.page_margins
    body = (595.3 - 72 * (margins.top + margins.bottom)) / scale
    header_row = int(ws.print_title_rows.split(":")[0].strip("$"))
    height = {r: ws.row_dimensions[r].height or 12.75 for r in range(1, ws.max_row + 1)}
    breaks = {b.id + 1 for b in ws.row_breaks.brk}  # the row each manual break starts a page with
    pages, used = [[]], 0.0
    for r in range(1, ws.max_row + 1):
        if r in breaks:
            pages.append([])
            used = height[header_row]
        assert used + height[r] <= body, f"row {r} overflows page {len(pages)}"
        pages[-1].append(r)
        used += height[r]
    return pages


def text_points(text: str, size: float) -> float:
    """How wide one line of `text` prints in `size`-point type, at the widest a renderer takes it: a
    CJK character `size` points, anything else 0.64 of it (DejaVu Sans' digit, which LibreOffice puts
    in 宋体's place where SimSun is not installed)."""
    wide = sum(1 for ch in text if ord(ch) > 0x7F)
    return wide * size + (len(text) - wide) * 0.64 * size


def cell_span(ws, cell) -> list[int]:
    """The columns (1-based) a cell covers: its merged range's, or its own."""
    for merged in ws.merged_cells.ranges:
        if cell.coordinate in merged:
            return list(range(merged.min_col, merged.max_col + 1))
    return [cell.column]


def span_points(ws, columns: list[int]) -> float:
    """The printed width at 100 % of these columns (their stored widths, as Excel gives them pixels)."""
    widths = column_widths(ws)
    return sum((int(widths[c - 1] * 7 + 0.5) + 5) * 0.75 for c in columns)


def wrapped_lines(ws, cell, size: float, indent: float = 0) -> int:
    """The lines `cell`'s text takes printed in `size`-point type in its columns (its merged range's),
    wrapped at the widest a renderer prints it (text_points), less 4 points of padding and `indent`."""
    import math

    return max(1, math.ceil(text_points(str(cell.value), size) / (span_points(ws, cell_span(ws, cell)) - 4 - indent)))


def page_header_held(ws, title: str | None = None) -> str:
    """The centred page header of `ws` as the file holds it (openpyxl keeps an && as written), checked
    to be what Excel prints: within its 255 characters with the &C code, every & of `title` doubled,
    none left lone at the end, and (where `title` is given) a beginning of it. Returns the title as
    it prints."""
    text = ws.oddHeader.center.text
    assert text, f"{ws.title}: no page header"
    assert len("&C" + text) <= 255, (ws.title, len(text))
    assert (len(text) - len(text.rstrip("&"))) % 2 == 0, f"{ws.title}: a lone & at the end is a code"
    printed = text.replace("&&", "&")
    assert title is None or title.startswith(printed), (ws.title, printed)
    return printed


def display_width(texts: list[str]) -> list[int]:
    """Width of each text in Excel character units, a CJK character two: a lower bound the tests
    hold the print model to (a coarser rule than xlsx.printed_lines, on purpose)."""
    return [len(t) + sum(not c.isascii() for c in t) for t in texts]
