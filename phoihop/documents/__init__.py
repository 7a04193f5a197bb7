"""Official documents: review reports and program documents as .docx (and PDF), with charts.

- `layout`: the data (`Document`, `Issuer`, `Heading`, `Paragraph`, `Table`, `Image`);
- `docx_writer.render(document) -> bytes`: the .docx, laid out per Decree 30/2020/NĐ-CP,
  Annex I (state bodies) and Hướng dẫn 36-HD/VPTW (Party bodies);
- `pdf.to_pdf(docx_bytes) -> bytes` by LibreOffice headless (`pdf.available()`);
- `charts.bar_chart(...)`, `charts.achievement_chart(...)`: PNG bytes for `Image` blocks.

A plain Python package (no models, no Django). See docs/documents.md.
"""

from .layout import Document, Heading, Image, Issuer, Paragraph, Table

__all__ = ["Document", "Heading", "Image", "Issuer", "Paragraph", "Table"]
