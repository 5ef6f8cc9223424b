"""``python -m motcua catalog import FILE`` — load the national procedure catalog.

Ends with one line ``created=N updated=N unchanged=N rejected=N`` and, when rows
were rejected, a report of them with reasons (also written to ``--report``).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from tqdm import tqdm

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

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "refresh":
            changed = catalog_refresh_listings()
            self.stdout.write(
                _("Đã làm mới danh sách; %(n)s thủ tục đổi trạng thái.") % {"n": changed}
            )
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

        report = catalog_import(path=path, on_row=advance)
        bar.close()
        if report.rejections:
            lines = [f"{row}\t{code or '-'}\t{reason}" for row, code, reason in report.rejections]
            self.stdout.write(_("Các dòng bị từ chối (dòng, mã, lý do):"))
            for line in lines:
                self.stdout.write("  " + line)
            if options["report"]:
                Path(options["report"]).write_text("\n".join(lines) + "\n", encoding="utf-8")
        self.stdout.write(report.summary())
