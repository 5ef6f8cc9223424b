"""``python -m motcua units import [--data-dir DIR] [--quiet]``: official administrative units."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from tqdm import tqdm

from motcua.accounts.services import units_import
from motcua.accounts.unit_import import UnitImportReport
from motcua.accounts.unit_sources import SourceError

STAGE_LABELS = {
    "units": "đơn vị",
    "paths": "cây đơn vị",
    "successions": "kế thừa",
}
# Rejected rows printed at normal verbosity; -v 2 prints them all.
SHOWN_REJECTIONS = 20


class _Progress:
    """One tqdm bar per stage, on stderr; silent when not a terminal or --quiet."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.stage: str | None = None
        self.bar: Any = None

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        if stage != self.stage:
            self.close()
            self.stage = stage
            self.bar = tqdm(
                total=total, desc=STAGE_LABELS.get(stage, stage), unit=" dòng", file=sys.stderr
            )
        self.bar.update(done - self.bar.n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def default_units_dir() -> Path:
    """Where the official unit lists live by default (``SHARED_DATA_DIR/admin_units``)."""
    return Path(settings.SHARED_DATA_DIR) / "admin_units"


def write_report(
    command: BaseCommand,
    report: UnitImportReport,
    *,
    verbosity: int,
    max_shown: int = SHOWN_REJECTIONS,
) -> None:
    """Print rejected rows (up to ``max_shown``; all at -v 2) and the summary lines."""
    shown = report.rejections if verbosity >= 2 else report.rejections[:max_shown]
    for rejection in shown:
        command.stderr.write(
            _("bỏ qua %(rejection)s") % {"rejection": rejection},
            style_func=command.style.WARNING,
        )
    hidden = len(report.rejections) - len(shown)
    if hidden > 0:
        if shown:
            message = _("… và %(count)d dòng bị bỏ qua khác (xem tất cả: -v 2).")
        else:
            message = _(
                "%(count)d dòng bị bỏ qua (xem tất cả: python -m motcua units import -v 2)."
            )
        command.stderr.write(message % {"count": hidden}, style_func=command.style.WARNING)
    for line in report.lines():
        command.stdout.write(line)
    command.stdout.write(
        _("Đã đọc %(rows)d dòng trong %(seconds).1f giây.")
        % {"rows": report.rows_read, "seconds": report.seconds}
    )


class Command(BaseCommand):
    @property
    def help(self) -> str:  # type: ignore[override]
        return _(
            "Đơn vị hành chính chính thức: nhập danh sách 2025, danh sách cũ và quan hệ kế thừa."
        )

    def add_arguments(self, parser: CommandParser) -> None:
        subcommands = parser.add_subparsers(dest="subcommand", required=True)
        importer = subcommands.add_parser(
            "import",
            help=_("Nhập (hoặc cập nhật) đơn vị hành chính từ thư mục dữ liệu; chạy lại an toàn."),
        )
        importer.add_argument(
            "--data-dir",
            type=Path,
            default=None,
            help=_("Thư mục chứa các tệp admin_units (mặc định: SHARED_DATA_DIR/admin_units)."),
        )
        importer.add_argument(
            "--quiet", action="store_true", help=_("Không hiện thanh tiến trình.")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "import":
            self.handle_import(**options)

    def handle_import(self, **options: Any) -> None:
        data_dir = options.get("data_dir") or default_units_dir()
        progress = _Progress(enabled=not options.get("quiet") and sys.stderr.isatty())
        try:
            report = units_import(data_dir=data_dir, on_progress=progress)
        except SourceError as exc:
            raise CommandError(str(exc)) from exc
        finally:
            progress.close()
        write_report(self, report, verbosity=options.get("verbosity", 1))
