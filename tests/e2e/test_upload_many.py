"""Many evidence files at once, in a real browser: dropped on the page's file input, checked
there against the limits the page states, sent one by one with a progress bar each, and
each refused file named with its reason, the server's refusals included."""

import base64
import re

from playwright.sync_api import expect

from dz_awards.nominations.models import Evidence
from tests.e2e.a11y.nominations import member_draft
from tests.e2e.conftest import DATABASE_LOCK
from tests.files import HTML, MINIMAL_PDF

# Dropped as a person drags files from their computer: a DataTransfer carrying Files.
DROP = """([files, target]) => {
  const transfer = new DataTransfer();
  for (const [name, type, data] of files) {
    const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
    transfer.items.add(new File([bytes], name, { type }));
  }
  const zone = document.querySelector(target);
  for (const type of ["dragover", "drop"]) {
    const init = { dataTransfer: transfer, bubbles: true, cancelable: true };
    zone.dispatchEvent(new DragEvent(type, init));
  }
}"""


def _file(name, mime, content):
    return [name, mime, base64.b64encode(content).decode()]


def drop_files(page, files):
    page.evaluate(DROP, [[_file(*item) for item in files], "#div_id_file"])


def test_dropped_files_are_checked_sent_one_by_one_and_each_answered(
    page, settings, browser_errors, db
):
    """Five files dropped: a Word file and a PDF over the limit are stopped in the browser,
    a web page named like a PDF is refused by the server, two PDFs are stored and listed."""
    settings.EVIDENCE_MAX_DOCUMENT_BYTES = 2_000  # a limit the page states, and enforces
    nomination = member_draft(page)
    url = f"/nominations/{nomination.pk}/evidence/"
    page.goto(url)
    browser_errors.allow_error_status(page.url, 400)  # the refused file's answer
    page.get_by_label("Document (PDF)").check()

    drop_files(
        page,
        [
            ("policy.pdf", "application/pdf", MINIMAL_PDF),
            ("notes.docx", "application/vnd.openxmlformats-officedocument", b"PK\x03\x04"),
            ("scan.pdf", "application/pdf", MINIMAL_PDF + b" " * 2_500),
            ("report.pdf", "application/pdf", HTML),
            ("training.pdf", "application/pdf", MINIMAL_PDF),
        ],
    )

    chosen = page.get_by_role("list", name="Chosen files").get_by_role("listitem")
    expect(chosen).to_have_count(5)
    expect(page.locator(".upload-file-status")).to_have_text(
        [
            "Ready to upload.",
            (
                "Not uploaded: This file is not a PDF, judging by its name and type. Save or "
                "print it as a PDF."
            ),
            "Not uploaded: This file is 2.7\xa0KB; the most for this kind of file is 2.0\xa0KB.",
            "Ready to upload.",
            "Ready to upload.",
        ]
    )
    expect(page.get_by_role("status").filter(has_text="files chosen")).to_have_text(
        "5 files chosen: 3 ready to upload, 2 will not be uploaded (the list says why)."
    )
    # Dropped files are the input's own: the form's real control holds them.
    assert page.locator("#id_file").evaluate("input => input.files.length") == 5

    page.get_by_role("button", name="Upload 3 files").click()

    summary = page.locator("#upload-errors")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_text(
        [
            (
                "notes.docx: This file is not a PDF, judging by its name and type. Save or print "
                "it as a PDF."
            ),
            "scan.pdf: This file is 2.7\xa0KB; the most for this kind of file is 2.0\xa0KB.",
            "report.pdf: File: This file is not a PDF. Save or print it as a PDF and try again.",
        ]
    )
    expect(summary).to_contain_text("3 of 5 files were not uploaded:")
    done = page.locator(".upload-file-done")
    expect(done.locator(".upload-file-name")).to_have_text(["policy.pdf", "training.pdf"])
    for bar in done.get_by_role("progressbar").all():
        expect(bar).to_have_js_property("value", 100)
    expect(done.locator(".upload-file-status")).to_have_text(
        ["Uploaded. It is being checked and will be ready in a moment."] * 2
    )
    expect(page.get_by_role("status").filter(has_text="uploaded;")).to_have_text(
        "2 of 5 files uploaded; the others were not (the list says why)."
    )
    # The page's list of files is fetched again, with the two stored files.
    files = page.get_by_role("table", name="Files of this nomination")
    expect(files.get_by_role("row")).to_have_count(3)
    expect(files.get_by_role("row", name=re.compile("policy.pdf"))).to_be_visible()
    expect(page.get_by_text("Used: 2 of 20 files")).to_be_visible()
    # The next choice starts afresh: the files that went are not sent twice.
    assert page.locator("#id_file").evaluate("input => input.files.length") == 0
    with DATABASE_LOCK:
        assert sorted(Evidence.objects.values_list("original_name", flat=True)) == [
            "policy.pdf",
            "training.pdf",
        ]
