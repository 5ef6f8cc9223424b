"""``python -m motcua demo load [--data-dir DIR] [--quiet]``: the demo organisation and logins."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from motcua.accounts.constants import Role
from motcua.accounts.management.commands.units import _Progress, write_report
from motcua.accounts.unit_sources import SourceError
from motcua.demo.services import DEMO_PASSWORD, SUPERUSER_NAME, demo_load, demo_totals


class Command(BaseCommand):
    @property
    def help(self) -> str:  # type: ignore[override]
        return _(
            "Dữ liệu trình diễn: bốn phường, xã Hà Nội trong các kịch bản, cán bộ và tài khoản."
        )

    def add_arguments(self, parser: CommandParser) -> None:
        subcommands = parser.add_subparsers(dest="subcommand", required=True)
        loader = subcommands.add_parser(
            "load",
            help=_("Nạp (hoặc bổ sung) dữ liệu trình diễn; chạy lại nhiều lần vẫn an toàn."),
        )
        loader.add_argument(
            "--data-dir",
            type=Path,
            default=None,
            help=_("Thư mục danh sách đơn vị hành chính (mặc định: SHARED_DATA_DIR/admin_units)."),
        )
        loader.add_argument("--quiet", action="store_true", help=_("Không hiện thanh tiến trình."))

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "load":
            self.handle_load(**options)

    def handle_load(self, **options: Any) -> None:
        progress = _Progress(enabled=not options.get("quiet") and sys.stderr.isatty())
        try:
            report = demo_load(data_dir=options.get("data_dir"), on_progress=progress)
        except SourceError as exc:
            raise CommandError(str(exc)) from exc
        finally:
            progress.close()
        if report.used_fallback:
            self.stderr.write(
                self.style.WARNING(
                    _(
                        "CẢNH BÁO: không thấy dữ liệu dùng chung (SHARED_DATA_DIR/admin_units); "
                        "chỉ nạp bản trích nhỏ trong kho mã (%(path)s): vài phường, xã của "
                        "Hà Nội và Hải Phòng, không phải toàn bộ đơn vị hành chính."
                    )
                    % {"path": report.data_dir}
                )
            )
        if report.units_import is not None:
            write_report(
                self, report.units_import, verbosity=options.get("verbosity", 1), max_shown=0
            )
        self.stdout.write("")
        self.stdout.write(
            _("Tài khoản trình diễn (mật khẩu chung: %(password)s):") % {"password": DEMO_PASSWORD}
        )
        self.stdout.write(
            f"  {SUPERUSER_NAME:<28} " + _("siêu quản trị (mọi quyền, trang quản trị)")
        )
        for login in report.logins:
            roles = ", ".join(str(Role(role).label) for role in login.roles)
            self.stdout.write(
                f"  {login.username:<28} {login.full_name:<26} {roles:<32} {login.unit}"
            )
        totals = demo_totals()
        self.stdout.write("")
        self.stdout.write(
            f"demo: units created={report.units_created}, "
            f"officers created={report.officers_created}, "
            f"roles changed={report.roles_changed}, "
            f"settings changed={report.settings_changed}, "
            f"superuser created={'yes' if report.superuser_created else 'no'}"
        )
        if report.catalog_import is not None:
            self.stdout.write(
                f"catalog ({report.catalog_file}): {report.catalog_import.summary()}; "
                f"procedures listed at the demo wards: +{report.procedures_assigned}"
            )
        self.stdout.write(
            "totals: " + " ".join(f"{name}={count}" for name, count in totals.items())
        )
