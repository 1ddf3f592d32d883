"""Merge two versions of a .po catalogue during a git merge: ours plus the entries only theirs
has (ours wins on conflicts). Usage: merge_po.py PATH (reads :2 and :3 from the git index)."""

import subprocess
import sys
import tempfile

import polib

path = sys.argv[1]


def version(stage: int) -> polib.POFile:
    content = subprocess.run(
        ["git", "show", f":{stage}:{path}"], capture_output=True, check=True
    ).stdout.decode()
    with tempfile.NamedTemporaryFile("w", suffix=".po", delete=False, encoding="utf-8") as tmp:
        tmp.write(content)
    return polib.pofile(tmp.name)


ours, theirs = version(2), version(3)
known = {(e.msgctxt, e.msgid) for e in ours}
added = 0
for entry in theirs:
    if (entry.msgctxt, entry.msgid) not in known:
        ours.append(entry)
        added += 1
ours.save(path)
print(f"{path}: kept ours, added {added} from theirs")
