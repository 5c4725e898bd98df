"""Just enough of a terminal (cursor moves, erases, SGR styles, wide characters) to know
which character in which style is in each cell of a program's screen, from its output."""

from __future__ import annotations

import re
from collections.abc import Collection

from rich.cells import get_character_cell_size

COLUMNS, ROWS = 120, 40

# CSI, OSC, charset selection and two-byte escapes: what a terminal would not print.
_ESCAPES = re.compile(
    rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[ -~]"
)


def visible_text(output: bytes) -> str:
    return _ESCAPES.sub(b"", output).decode("utf-8", errors="replace")


Cell = tuple[str, str]  # (character, SGR parameters in effect); ("", style) right of a wide one
Snapshot = tuple[tuple[Cell, ...], ...]

_TOKEN = re.compile(
    r"\x1b\[(?P<csi>[0-?]*)[ -/]*(?P<final>[@-~])"
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"
    r"|\x1b[()][0-9A-Za-z]"
    r"|\x1b[ -Z\\^-~]"  # any other two-byte escape (not the start of a CSI or an OSC)
    r"|(?P<text>[^\x00-\x1f\x1b\x7f]+)"
    r"|(?P<control>[\x00-\x1a\x1c-\x1f\x7f])"
)


class Screen:
    """The characters and styles a terminal would show, from the program's output."""

    def __init__(self, columns: int = COLUMNS, rows: int = ROWS) -> None:
        self.columns, self.rows = columns, rows
        self.cells: list[list[Cell]] = []
        self.row = self.column = 0
        self.style = ""
        self._pending = b""
        self.clear()

    def clear(self) -> None:
        self.cells = [[(" ", "")] * self.columns for _ in range(self.rows)]

    def feed(self, data: bytes) -> None:
        data = self._pending + data
        # Hold back a UTF-8 character or an escape sequence cut at the end of this chunk.
        cut = len(data)
        for back in range(1, 4):
            if cut - back >= 0 and data[cut - back] & 0xC0 == 0xC0:  # a lead byte
                need = 2 if data[cut - back] < 0xE0 else 3 if data[cut - back] < 0xF0 else 4
                if need > back:
                    cut -= back
                break
            if cut - back < 0 or data[cut - back] & 0xC0 != 0x80:
                break
        text = data[:cut].decode("utf-8", errors="replace")
        self._pending = data[cut:]
        position = 0
        while position < len(text):
            match = _TOKEN.match(text, position)
            if match is None:  # an escape sequence not complete yet
                self._pending = text[position:].encode() + self._pending
                return
            position = match.end()
            if match["text"] is not None:
                self._write(match["text"])
            elif match["control"] is not None:
                self._control(match["control"])
            elif match["final"] is not None:
                self._csi(match["csi"], match["final"])

    def _write(self, text: str) -> None:
        row = self.cells[self.row]
        for char in text:
            width = get_character_cell_size(char)
            if width == 0:
                continue
            if self.column + width > self.columns:
                break  # Textual never writes past the edge (autowrap is off)
            row[self.column] = (char, self.style)
            if width == 2:
                row[self.column + 1] = ("", self.style)
            self.column += width

    def _control(self, char: str) -> None:
        if char == "\r":
            self.column = 0
        elif char == "\n":
            self.row = min(self.row + 1, self.rows - 1)
        elif char == "\b":
            self.column = max(self.column - 1, 0)

    def _csi(self, params: str, final: str) -> None:
        if params.startswith(("?", ">", "<", "=")):
            if final in "hl" and params[1:] in ("1049", "47", "1047"):
                self.clear()
            return
        numbers = [int(part) if part.isdigit() else 0 for part in params.split(";")]
        first = numbers[0] or 1
        if final in "Hf":
            row = numbers[0] or 1
            column = (numbers[1] if len(numbers) > 1 else 0) or 1
            self.row, self.column = min(row, self.rows) - 1, min(column, self.columns) - 1
        elif final == "m":
            parts = params.split(";")
            if parts[0] in ("", "0"):
                self.style = ";".join(parts[1:])
            else:
                self.style = f"{self.style};{params}" if self.style else params
        elif final == "A":
            self.row = max(self.row - first, 0)
        elif final == "B":
            self.row = min(self.row + first, self.rows - 1)
        elif final == "C":
            self.column = min(self.column + first, self.columns - 1)
        elif final == "D":
            self.column = max(self.column - first, 0)
        elif final == "G":
            self.column = min(first, self.columns) - 1
        elif final == "d":
            self.row = min(first, self.rows) - 1
        elif final == "K":
            start, end = {0: (self.column, self.columns), 1: (0, self.column + 1)}.get(
                numbers[0], (0, self.columns)
            )
            self.cells[self.row][start:end] = [(" ", self.style)] * (end - start)
        elif final == "J":
            if numbers[0] == 2 or numbers[0] == 3:
                self.clear()
            elif numbers[0] == 0:
                self._csi("0", "K")
                for row in range(self.row + 1, self.rows):
                    self.cells[row] = [(" ", self.style)] * self.columns

    def snapshot(self, ignore_rows: Collection[int] = ()) -> Snapshot:
        return tuple(
            tuple(row) if number not in ignore_rows else () for number, row in enumerate(self.cells)
        )

    def text(self) -> str:
        return "\n".join("".join(char for char, _ in row).rstrip() for row in self.cells)
