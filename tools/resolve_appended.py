"""Resolve a merge conflict where both sides appended blocks: keep ours, then theirs."""

import re
import sys
from pathlib import Path

path = Path(sys.argv[1])
text = path.read_text(encoding="utf-8")
pattern = re.compile(r"<<<<<<< [^\n]*\n(.*?)=======\n(.*?)>>>>>>> [^\n]*\n", re.S)
path.write_text(pattern.sub(lambda m: m.group(1) + "\n" + m.group(2), text), encoding="utf-8")
