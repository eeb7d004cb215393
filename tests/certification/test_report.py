"""report: one self-contained HTML file; charts drawn; a rep's words escaped, never run."""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import zlib
from html.parser import HTMLParser
from pathlib import Path

import pytest

from simulator.certification.report import certificate_report, trainee_report
from simulator.certification.store import Store
from simulator.certification.texts import TEXTS
from simulator.cli import main
from simulator.errors import CertificateError, UsageError

from ..simulator.helpers import mini_catalog
from .helpers import GOOD, KEY, exam

HOSTILE = "<script>alert(1)</script>"
ALLOWED_TAGS = {"html", "head", "meta", "title", "style", "body", "h1", "h2", "h3", "p", "span", "div", "table",
                "thead", "tbody", "tr", "th", "td", "code", "ul", "li", "br", "footer", "svg", "text", "rect", "line"}


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.handlers: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.handlers += [name for name, _value in attrs if name.startswith("on") or name in ("src", "href")]

    def handle_data(self, data):
        self.text.append(data)

    @classmethod
    def text_of(cls, page: str) -> str:
        parsed = cls()
        parsed.feed(page)
        return "".join(parsed.text)


@pytest.fixture
def certificate(tmp_path, monkeypatch) -> str:
    monkeypatch.setenv("SALESDRILL_CERT_KEY", KEY.secret.decode())
    result, _ = exam([HOSTILE, *GOOD], str(tmp_path / "r.sqlite3"), tmp_path, trainee='<img src=x onerror="alert(2)">')
    return result.certificate


def test_the_certificate_report_escapes_every_word(certificate):
    page = certificate_report(certificate, mini_catalog())
    parsed = Tags()
    parsed.feed(page)
    assert parsed.tags <= ALLOWED_TAGS, parsed.tags - ALLOWED_TAGS
    assert parsed.handlers == []
    text = "".join(parsed.text)
    assert HOSTILE in text and '<img src=x onerror="alert(2)">' in text
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert page.count("<svg") == 2 and "Score per drill" in page and "Principles:" in page


def test_the_report_speaks_the_language_asked(certificate):
    chinese = certificate_report(certificate, mini_catalog(), "zh")
    for words in ("<h2>练习</h2>", "<h2>图表</h2>", "<h2>对话记录</h2>", "各练习得分", "小练习", "签名已验证"):
        assert words in chinese
    for words in ("Drills", "Charts", "Transcript", "Score per drill", "pass mark", "Mini drill"):
        assert words not in chinese
    assert '<html lang="zh-CN">' in chinese and HOSTILE in Tags.text_of(chinese)
    english = certificate_report(certificate, mini_catalog())  # by default: the exam's language
    assert "<h2>Drills</h2>" in english and "Score per drill" in english and "练习" not in english


def test_every_interface_text_is_in_both_languages():
    assert all(set(entry) == {"zh", "en"} and all(entry.values()) for entry in TEXTS.values())


def test_a_tampered_certificate_gets_no_report(certificate, tmp_path):
    path = Path(certificate)
    path.write_text(path.read_text(encoding="utf-8").replace('"score": 100', '"score": 99', 1), encoding="utf-8")
    with pytest.raises(CertificateError, match="TAMPERED"):
        certificate_report(certificate, mini_catalog())
    out = tmp_path / "report.html"
    out.write_text("earlier report", encoding="utf-8")
    assert main(["report", certificate, "-o", str(out)]) == 2
    assert out.read_text(encoding="utf-8") == "earlier report"


def test_the_trainee_report(tmp_path):
    db = str(tmp_path / "r.sqlite3")
    exam([HOSTILE, "/quit"], db, tmp_path, trainee="Ann", name="1.json")
    exam(GOOD, db, tmp_path, trainee="Ann", name="2.json")
    with Store.open(db) as store:
        page = trainee_report(store, mini_catalog(), "Ann", "en")
        chinese = trainee_report(store, mini_catalog(), "Ann", "zh")
        with pytest.raises(UsageError, match="no attempt at suite 'other' \\(only at: mini_suite\\)"):
            trainee_report(store, mini_catalog(), "Ann", "en", suite="other")
    assert "2 attempt(s), 1 passed" in page and page.count("<svg") == 2 and "<script" not in page
    assert "2 次尝试,通过 1 次" in chinese and "历次得分" in chinese and "Attempts" not in chinese


def _png_pixels(data: bytes) -> tuple[int, int, int, list[bytes]]:
    """Width, height, bytes per pixel and the rows of an 8-bit RGB/RGBA PNG (as Chromium writes them)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, color = struct.unpack(">IIBB", chunk[:10])
            assert depth == 8 and color in (2, 6)
            bpp = 3 if color == 2 else 4
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    raw, rows, prior = zlib.decompress(idat), [], bytearray(width * bpp)
    stride = width * bpp + 1
    for y in range(height):
        kind, line = raw[y * stride], bytearray(raw[y * stride + 1:(y + 1) * stride])
        for i in range(len(line)):
            left = line[i - bpp] if i >= bpp else 0
            up, corner = prior[i], prior[i - bpp] if i >= bpp else 0
            if kind == 1:
                line[i] = (line[i] + left) & 255
            elif kind == 2:
                line[i] = (line[i] + up) & 255
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 255
        rows.append(bytes(line))
        prior = line
    return width, height, bpp, rows


def _chromium(*args: str) -> subprocess.CompletedProcess[str]:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    assert browser, "SALESDRILL_BROWSER_TESTS is set but no chromium is installed"
    return subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", *args], capture_output=True,
                          text=True, timeout=60, check=False)


@pytest.mark.skipif(not os.environ.get("SALESDRILL_BROWSER_TESTS"),
                    reason="set SALESDRILL_BROWSER_TESTS=1 to render the report in headless Chromium (about 8 s)")
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_headless_chromium_draws_the_charts_and_runs_no_reply(certificate, tmp_path, lang):
    page = tmp_path / "report.html"
    page.write_text(certificate_report(certificate, mini_catalog(), lang), encoding="utf-8")
    shot = tmp_path / "shot.png"
    _chromium(f"--screenshot={shot}", "--window-size=800,700", page.as_uri())
    width, _height, bpp, rows = _png_pixels(shot.read_bytes())
    green = sum(1 for row in rows for x in range(width) if row[x * bpp:x * bpp + 3] == bytes((0x2E, 0x9D, 0x5B)))
    assert green > 2000  # the bars of the charts (and the PASSED badge) are on the screen
    dom = Tags()  # the page as the browser built it: the reply is a text node, no script element exists
    dom.feed(_chromium("--dump-dom", page.as_uri()).stdout)
    assert "script" not in dom.tags and dom.handlers == [] and HOSTILE in "".join(dom.text)
