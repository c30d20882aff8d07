"""Word building blocks shared by the report and the quotes export.

Everything uses the template's real styles (Title, Heading 1/2, Quote, Caption, a table
style) and real fields (table of contents, page numbers, caption numbers), so a team can
restyle the document or rebuild its contents in Word instead of fixing it by hand.
"""
from __future__ import annotations

import io
import re
import shutil
import tempfile
import zipfile
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from docx import Document as new_document
from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import nsmap, qn
from docx.shared import Inches, Pt
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from lxml import etree

from qda.errors import QdaError
from qda.text.files import atomic_file

TABLE_STYLE = "Light Grid Accent 1"
TEXT_WIDTH = 6.0  # inches between the margins of the default page
LANGUAGE_TAGS = {"es": "es-419", "en": "en-GB"}
# settings.xml children that must follow <w:updateFields> (ECMA-376 CT_Settings order)
_AFTER_UPDATE_FIELDS = ("hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars",
                        "rsids", "mathPr", "attachedSchema", "themeFontLang",
                        "clrSchemeMapping", "doNotIncludeSubdocsInStats",
                        "doNotAutoCompressPictures", "forceUpgrade", "captions",
                        "readModeInkLockDown", "smartTagType", "schemaLibrary",
                        "shapeDefaults", "doNotEmbedSmartTags", "decimalSymbol",
                        "listSeparator")


def document(title: str, lang: str, subject: str = "", keywords: str = "") -> Document:
    """A new document whose properties name the tool, never a person, in language `lang`."""
    doc = new_document()
    props = doc.core_properties
    stamp = datetime.now(UTC).replace(microsecond=0, tzinfo=None)
    props.title, props.subject, props.keywords = title, subject, keywords
    props.author = props.last_modified_by = "qda"
    props.comments, props.category = "", ""
    props.language = LANGUAGE_TAGS.get(lang, lang)
    props.created = props.modified = stamp
    props.revision = 1
    _set_language(doc, LANGUAGE_TAGS.get(lang, lang))
    return doc


def _set_language(doc: Document, tag: str) -> None:
    """Proofing language of the Normal style, so Word spell-checks in the right language."""
    rpr = doc.styles["Normal"].element.get_or_add_rPr()
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), tag)


_SPECIAL = re.compile(r"[\t\n\r]")  # characters Word writes as elements of their own
_P, _PPR, _PSTYLE, _R, _RPR, _I, _T, _VAL = (qn(t) for t in (
    "w:p", "w:pPr", "w:pStyle", "w:r", "w:rPr", "w:i", "w:t", "w:val"))
_SPACE = qn("xml:space")


class Appender:
    """Paragraphs added at the end of a document in constant time each.

    python-docx's `add_paragraph` looks for the section properties among all the body's
    children and resolves the style by walking every style: for a 28,000-quote export that
    made the file quadratic to build. Here the end of the body and the style ids are found
    once, and paragraphs and runs are made as plain lxml elements (the same XML python-docx
    writes), plain text in one piece instead of character by character.
    """

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self._container = doc._body  # what python-docx's own paragraphs report as parent
        self._body = doc.element.body
        self._end = self._body.sectPr  # stays the body's last child
        self._default = doc.styles.default(WD_STYLE_TYPE.PARAGRAPH)
        self._ids: dict[str, str | None] = {}

    def paragraph(self, text: str = "", style: str | None = None) -> Paragraph:
        """A new last paragraph, in the style named `style` (default: Normal)."""
        p = self._body.makeelement(_P)  # same parser: python-docx's element classes
        if self._end is not None:
            self._end.addprevious(p)
        else:
            self._body.append(p)
        style_id = self._style_id(style) if style is not None else None
        if style_id is not None:
            _sub(_sub(p, _PPR), _PSTYLE, {_VAL: style_id})
        paragraph = Paragraph(p, self._container)
        if text:
            add_run(paragraph, text)
        return paragraph

    def _style_id(self, name: str) -> str | None:
        if name not in self._ids:
            style = self.doc.styles[name]
            self._ids[name] = None if style == self._default else style.style_id
        return self._ids[name]


class BodyWriter:
    """The rest of a document's body written as WordprocessingML text to a temporary file,
    for exports of 100,000 paragraphs: elements made one by one cost more than the words
    they hold, and a body kept whole took a gigabyte. `save` writes the document with this
    text where the writer was opened. A paragraph is written exactly as lxml serialises
    the one python-docx makes; text Word keeps in elements of its own (tab, line break) or
    that XML cannot hold goes through python-docx itself.
    """

    _FLUSH = 1 << 20  # characters held before they go to the file

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self._mark = f"qda-body-{id(self):x}-{datetime.now(UTC).timestamp()}"
        doc.add_paragraph(self._mark)  # replaced by the written body when saved
        self._styles = Appender(doc)
        self._file = tempfile.TemporaryFile()
        self._held: list[str] = []
        self._size = 0

    def paragraph(self, runs: Sequence[tuple[str, bool | None]] = (),
                  style: str | None = None) -> None:
        """A paragraph of (text, italic) runs (italic None: as the style says)."""
        if any(_AWKWARD.search(text) for text, _ in runs):
            self._held.append(self._through_docx(runs, style))
        else:
            style_id = self._styles._style_id(style) if style is not None else None
            parts = ["<w:p>"]
            if style_id is not None:
                parts.append(f'<w:pPr><w:pStyle w:val="{_attribute(style_id)}"/></w:pPr>')
            for text, italic in runs:
                parts.append(_RUN_OPEN[italic])
                parts.append('<w:t xml:space="preserve">' if text.strip() != text else "<w:t>")
                parts.append(_escape(text))
                parts.append("</w:t></w:r>")
            parts.append("</w:p>")
            self._held.append("".join(parts) if len(parts) > 2 else "<w:p/>")
        self._size += len(self._held[-1])
        if self._size >= self._FLUSH:
            self._flush()

    def text(self, text: str = "", style: str | None = None) -> None:
        """A paragraph of one run of plain text, none when empty (as `Appender.paragraph`)."""
        self.paragraph([(text, None)] if text else [], style)

    def _through_docx(self, runs: Sequence[tuple[str, bool | None]], style: str | None) -> str:
        """The paragraph made by python-docx (as `Appender` makes it) and serialised alone,
        without the namespace declaration it would not carry inside the body."""
        holder = OxmlElement("w:p")  # prefixed w: as in the document
        paragraph = Paragraph(holder, self._styles._container)
        style_id = self._styles._style_id(style) if style is not None else None
        if style_id is not None:
            _sub(_sub(holder, _PPR), _PSTYLE, {_VAL: style_id})
        for text, italic in runs:
            add_run(paragraph, text, italic)
        xml = etree.tostring(holder, encoding="unicode")
        return xml.replace(f' xmlns:w="{nsmap["w"]}"', "", 1)

    def _flush(self) -> None:
        self._file.write("".join(self._held).encode("utf-8"))
        self._held.clear()
        self._size = 0

    def save(self, path: Path) -> None:
        """Write the document to `path` (.docx) with the written body in its place."""
        self._flush()
        package = io.BytesIO()
        self.doc.save(package)
        marker = f"<w:p><w:r><w:t>{self._mark}</w:t></w:r></w:p>".encode()
        body = self._file
        body.seek(0, io.SEEK_END)
        large = body.tell() > (1 << 30)  # a part over 2 GiB needs ZIP64; say so ahead
        body.seek(0)
        path = docx_path(path)
        with zipfile.ZipFile(package) as source, atomic_file(path) as fh, \
                zipfile.ZipFile(fh, "w", zipfile.ZIP_DEFLATED) as target:
            for info in source.infolist():
                data = source.read(info)
                if info.filename != "word/document.xml":
                    target.writestr(info, data)
                    continue
                head, found, tail = data.partition(marker)
                if not found:
                    raise QdaError("the document lost the place of its body", path)
                member = zipfile.ZipInfo(info.filename, info.date_time)
                member.compress_type = zipfile.ZIP_DEFLATED
                with target.open(member, "w", force_zip64=large) as out:
                    out.write(head)
                    shutil.copyfileobj(body, out, 1 << 20)
                    out.write(tail)
        body.close()


_RUN_OPEN = {None: "<w:r>", True: '<w:r><w:rPr><w:i w:val="1"/></w:rPr>',
             False: '<w:r><w:rPr><w:i w:val="0"/></w:rPr>'}


def _escape(text: str) -> str:
    """Text as libxml2 writes it in an element."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attribute(value: str) -> str:
    return _escape(value).replace('"', "&quot;")


# tab and line breaks (elements of their own) and what XML 1.0 cannot hold (python-docx
# refuses it, as it did before)
_AWKWARD = re.compile("[\t\n\r\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def add_run(paragraph: Paragraph, text: str, italic: bool | None = None) -> Run:
    """`paragraph.add_run(text)` (then `.italic = italic`), made directly when the text has
    no tab or line break, which Word keeps as elements of their own."""
    if _SPECIAL.search(text):
        run = paragraph.add_run(text)
        if italic is not None:
            run.italic = italic
        return run
    r = _sub(paragraph._p, _R)
    if italic is not None:
        _sub(_sub(r, _RPR), _I, {_VAL: "1" if italic else "0"})
    t = _sub(r, _T)
    t.text = text
    if text.strip() != text:
        t.set(_SPACE, "preserve")
    return Run(r, paragraph)


def _sub(parent, tag: str, attrib: dict[str, str] | None = None):
    """A new last child of `parent`, of python-docx's element class for `tag`."""
    child = parent.makeelement(tag, attrib or {})
    parent.append(child)
    return child


def add_field(paragraph: Paragraph, instruction: str, shown: str = "") -> None:
    """A Word field (TOC, PAGE, SEQ...) with `shown` as its text until Word updates it."""
    def char(kind: str) -> None:
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        if kind == "begin":
            element.set(qn("w:dirty"), "true")
        paragraph.add_run()._r.append(element)
    char("begin")
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = f" {instruction} "
    paragraph.add_run()._r.append(code)
    char("separate")
    paragraph.add_run(shown)
    char("end")


def add_toc(doc: Document, heading: str, hint: str, levels: str = "1-2") -> None:
    """A table-of-contents field over Heading 1-2; Word fills it when the file opens."""
    doc.add_paragraph(heading, style="TOC Heading")
    add_field(doc.add_paragraph(), f'TOC \\o "{levels}" \\h \\z \\u', hint)
    settings = doc.settings.element
    if settings.find(qn("w:updateFields")) is None:
        update = OxmlElement("w:updateFields")
        update.set(qn("w:val"), "true")
        later = [c for c in settings if c.tag.split("}")[-1] in _AFTER_UPDATE_FIELDS]
        if later:
            later[0].addprevious(update)
        else:
            settings.append(update)


def add_page_numbers(doc: Document, page: str, of: str) -> None:
    """'Page 3 of 12' in the footer of every section, as PAGE and NUMPAGES fields."""
    for section in doc.sections:
        paragraph = section.footer.paragraphs[0]
        paragraph.style = doc.styles["Footer"]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.add_run(f"{page} ")
        add_field(paragraph, "PAGE", "1")
        paragraph.add_run(f" {of} ")
        add_field(paragraph, "NUMPAGES", "1")


def add_caption(doc: Document, kind: str, number: int, text: str) -> Paragraph:
    """'Table 2. ...' in the Caption style, numbered by a SEQ field Word keeps in order."""
    paragraph = doc.add_paragraph(style="Caption")
    paragraph.add_run(f"{kind} ")
    add_field(paragraph, f"SEQ {kind} \\* ARABIC", str(number))
    paragraph.add_run(f". {text}")
    return paragraph


def add_table(doc: Document, header: Sequence[str], rows: Sequence[Sequence[str]],
              bold_rows: Sequence[int] = (), first_width: float = 2.1,
              width: float = TEXT_WIDTH, numbers: bool = True) -> None:
    """A table in the template's table style, its first column (labels) wider than the
    numbers (right-aligned; text columns with `numbers=False` stay left); the header row
    repeats on every page."""
    table = doc.add_table(rows=1 + len(rows), cols=len(header))
    table.style = doc.styles[TABLE_STYLE]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    rest = (width - first_width) / max(1, len(header) - 1)
    widths = [Inches(first_width)] + [Inches(rest)] * (len(header) - 1)
    for column, size in zip(table.columns, widths):
        column.width = size
    for index, (cells, values) in enumerate(zip((r.cells for r in table.rows),
                                                [header, *rows])):
        for column, (cell, value) in enumerate(zip(cells, values)):
            paragraph = cell.paragraphs[0]
            run = paragraph.add_run(str(value))
            run.font.size = Pt(9)
            if index - 1 in bold_rows:
                run.bold = True
            if column and numbers:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            if index < len(rows):  # a table stays on one page when it fits one
                paragraph.paragraph_format.keep_with_next = True
            cell.width = widths[column]
    header_row = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header_row.append(repeat)


def add_figure(doc: Document, figure, width: float, description: str) -> Paragraph:
    """A matplotlib figure as a PNG picture with alternative text for screen readers."""
    return add_png(doc, figure_png(figure), width, description)


def figure_png(figure) -> bytes:
    """A matplotlib figure as the PNG a Word picture holds (150 dpi)."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=150)
    return buffer.getvalue()


def add_png(doc: Document, png: bytes, width: float, description: str) -> Paragraph:
    """A PNG picture (drawn elsewhere, say in a child process) with alternative text."""
    doc.add_picture(io.BytesIO(png), width=Inches(width))
    picture = doc.paragraphs[-1]
    picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for properties in picture._p.iter(qn("wp:docPr")):
        properties.set("descr", description)
    return picture


def save(doc: Document, path: Path) -> None:
    with atomic_file(docx_path(path)) as fh:
        doc.save(fh)


def docx_path(path: Path | str) -> Path:
    """`path`, refused unless it names a Word file."""
    path = Path(path)
    if path.suffix.lower() != ".docx":
        raise QdaError(f"a Word file must end in .docx, not '{path.suffix or path.name}'", path)
    return path


def keep_with_next(*paragraphs: Paragraph) -> None:
    """Keep each paragraph on the page of the one after it (a heading, caption or lead
    sentence is never stranded at the bottom of a page)."""
    for paragraph in paragraphs:
        paragraph.paragraph_format.keep_with_next = True


def keep_styles_with_next(doc: Document, names: Sequence[str]) -> None:
    """Keep-with-next on whole styles (headings, captions), set explicitly."""
    for name in names:
        doc.styles[name].paragraph_format.keep_with_next = True


def add_contents(doc: Document, heading: str) -> Paragraph:
    """The heading of a written table of contents and the place its entries go; fill it
    with `fill_contents` once the document's headings are known."""
    doc.add_paragraph(heading, style="TOC Heading")
    return doc.add_paragraph()


def fill_contents(doc: Document, place: Paragraph, entries: Sequence[tuple[int, str]]) -> None:
    """The table of contents as written entries, one per heading (level 1 or 2) in the
    'TOC 1' / 'TOC 2' styles: it reads the same in Word, LibreOffice and a PDF, with no
    field to update."""
    for level in sorted({level for level, _ in entries}):
        name = f"TOC {level}"
        if name not in [s.name for s in doc.styles]:
            style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = doc.styles["Normal"]
            style.paragraph_format.left_indent = Inches(0.3 * (level - 1))
            style.paragraph_format.space_after = Pt(2)
    for level, text in entries:
        place.insert_paragraph_before(text, style=doc.styles[f"TOC {level}"])
    place._p.getparent().remove(place._p)
