"""Regenerate scoring/library/pinyin.txt: the toneless pinyin of each common Chinese character.

The matcher uses it to catch pinyin-input slips (见面 typed as 建面), so the
table ships with the package and nothing is looked up at run time. Built from
pypinyin (MIT licence), which is needed only to regenerate the file:

    pip install pypinyin && python tools/make_pinyin_table.py
"""

from __future__ import annotations

from pathlib import Path

from pypinyin import Style, pinyin

OUT = Path(__file__).resolve().parents[1] / "scoring" / "library" / "pinyin.txt"


def main() -> None:
    rows = []
    for code in range(0x4E00, 0xA000):
        ch = chr(code)
        reading = pinyin(ch, style=Style.NORMAL, heteronym=False, errors="ignore")
        if reading and reading[0] and reading[0][0].isascii():
            rows.append(f"{ch}{reading[0][0]}")
    header = "# toneless pinyin per character, one per line: the character then its reading (from pypinyin)\n"
    OUT.write_text(header + "\n".join(rows) + "\n", encoding="utf-8")
    print(f"wrote {OUT} ({len(rows)} characters)")


if __name__ == "__main__":
    main()
