"""Reading a text file a user hands over, for the commands that run without Django (`wijkinzicht
evaluate`, `wijkinzicht network`) and for core.tabular: pure Python."""

from __future__ import annotations

from pathlib import Path


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode as UTF-8 (BOM stripped) or, failing that, as CP1252 (Excel's Dutch default)."""
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "cp1252"


def read_text(path: str | Path, max_bytes: int, error: type[Exception]) -> str:
    """The file as text (decode_bytes); a missing, unreadable or too large file raises `error`
    with a message naming it."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise error(f"{path}: no such file") from None
    except OSError as exc:
        raise error(f"{path}: cannot be read ({exc.strerror})") from None
    if len(raw) > max_bytes:
        raise error(f"{path}: larger than {max_bytes // 1024 // 1024} MB")
    return decode_bytes(raw)[0]


def header_delimiter(text: str) -> str:
    """The delimiter of a CSV text: the most frequent of comma, semicolon and tab in its first line."""
    first = text.split("\n", 1)[0]
    return max([",", ";", "\t"], key=first.count)
