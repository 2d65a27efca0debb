"""PDF documents written by hand for the demo: real text, valid structure, no files on disk."""

import textwrap


def _pdf_string(text):
    raw = text.encode("cp1252", "replace")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def pdf_document(title, paragraphs, *, agency_name):
    """A small, valid PDF with real text: a title, the agency and paragraphs, on letter pages."""
    lines = [("F2", 16, title), ("F1", 11, agency_name), ("F1", 11, "")]
    for paragraph in paragraphs:
        lines += [("F1", 11, part) for part in textwrap.wrap(paragraph, 88)] + [("F1", 11, "")]
    lines.append(("F1", 9, "Demo document created for the DZ Awards demo site."))
    per_page = 44
    pages = [lines[i : i + per_page] for i in range(0, len(lines), per_page)]

    # 1 catalog, 2 page tree, 3 regular font, 4 bold font, 5 info; then page and content pairs.
    objects = {
        1: b"<</Type/Catalog/Pages 2 0 R>>",
        3: b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica/Encoding/WinAnsiEncoding>>",
        4: b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica-Bold/Encoding/WinAnsiEncoding>>",
        5: b"<</Title" + _pdf_string(title) + b"/Producer(DZ Awards demo data)>>",
    }
    kids = []
    for index, page in enumerate(pages):
        page_id, content_id = 6 + 2 * index, 7 + 2 * index
        kids.append(f"{page_id} 0 R".encode())
        stream = b"BT 72 740 Td 15 TL\n"
        for font, size, text in page:
            stream += f"/{font} {size} Tf ".encode() + _pdf_string(text) + b" Tj T*\n"
        stream += b"ET"
        objects[page_id] = (
            b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]"
            b"/Resources<</Font<</F1 3 0 R/F2 4 0 R>>>>/Contents "
            + f"{content_id} 0 R".encode()
            + b">>"
        )
        objects[content_id] = (
            f"<</Length {len(stream)}>>\nstream\n".encode() + stream + b"\nendstream"
        )
    objects[2] = b"<</Type/Pages/Kids[" + b" ".join(kids) + f"]/Count {len(pages)}>>".encode()

    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += f"{number} 0 obj\n".encode() + objects[number] + b"\nendobj\n"
    xref = len(out)
    size = max(objects) + 1
    out += f"xref\n0 {size}\n0000000000 65535 f \n".encode()
    for number in range(1, size):
        out += f"{offsets[number]:010d} 00000 n \n".encode()
    out += f"trailer\n<</Size {size}/Root 1 0 R/Info 5 0 R>>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)
