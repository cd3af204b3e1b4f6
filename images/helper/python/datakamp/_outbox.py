"""Writing into the outbox, and nowhere else.

Names are plain file names (letters, digits, '_' and '-', starting with a letter or digit, at most 100
characters), so no name can point outside the outbox. Files are written under a temporary name opened
with O_EXCL|O_NOFOLLOW relative to the opened outbox directory, then renamed over the final name, so a
symlink placed in the outbox is replaced, never followed, and a reader never sees half a file.
The helper only writes files: it never sends anything anywhere.
"""

import os
import re
import secrets

NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,99}")
MAX_DESCRIPTION = 10_000


class OutboxError(ValueError):
    """A name, description or outbox that the helper refuses."""


def outbox_path():
    return os.environ.get("DATAKAMP_OUTBOX") or "/outbox"


def check_name(name):
    if not isinstance(name, str) or NAME.fullmatch(name) is None:
        raise OutboxError(
            f"name {name!r} is not allowed: use 1-100 letters, digits, '_' or '-', starting with a "
            "letter or digit (no dots, slashes or spaces); the file extension is added for you")
    return name


def check_description(description):
    if not isinstance(description, str) or not description.strip():
        raise OutboxError("a description is required: say in a sentence what the output shows "
                          "(population, filter, period), so the output checker can review it")
    if len(description) > MAX_DESCRIPTION:
        raise OutboxError(f"the description is longer than {MAX_DESCRIPTION} characters")
    if "\x00" in description:
        raise OutboxError("the description contains a NUL character")
    text = description.replace("\r\n", "\n").strip() + "\n"
    return text


def write_files(files):
    """Writes {file name: bytes} into the outbox; returns the full paths in the same order."""
    root = outbox_path()
    try:
        dirfd = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as e:
        raise OutboxError(f"the outbox {root} cannot be opened: {e.strerror}") from None
    written = []
    try:
        for fname, data in files.items():
            if "/" in fname or fname in (".", "..") or fname.startswith("."):
                raise OutboxError(f"refusing file name {fname!r}")
            tmp = f".{fname}.{secrets.token_hex(6)}.tmp"
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC,
                         0o644, dir_fd=dirfd)
            try:
                with os.fdopen(fd, "wb") as f:
                    f.write(data)
                    f.flush()
                    os.fsync(f.fileno())
                os.replace(tmp, fname, src_dir_fd=dirfd, dst_dir_fd=dirfd)
            except BaseException:
                try:
                    os.unlink(tmp, dir_fd=dirfd)
                except OSError:
                    pass
                raise
            written.append(os.path.join(root, fname))
    finally:
        os.close(dirfd)
    return written
