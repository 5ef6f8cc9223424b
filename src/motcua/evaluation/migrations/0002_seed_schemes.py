"""Seed the two evaluation schemes (domain.md section 5, R34–R35) as data.

The totals, levels, quota and penalties are those of the texts. The split of
each group into lines is a default: the detailed criteria tables of 3814 were
not retrievable and Decree 335 leaves the products to each agency, so the
evaluator (Nội vụ) edits the lines on the scheme screens.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import migrations

HANOI = {
    "code": "HN-3814-2018",
    "name": "Đánh giá, xếp loại hằng tháng theo Quyết định 3814-QĐ/TU",
    "kind": "hanoi_3814",
    "legal_basis": "Quyết định 3814-QĐ/TU ngày 16/5/2018 của Ban Thường vụ Thành ủy Hà Nội",
    "valid_from": dt.date(2018, 5, 16),
    "excellent_from": Decimal(90),
    "good_from": Decimal(70),
    "completed_from": Decimal(50),
    "grade_labels": {"excellent": "A", "good": "B", "completed": "C", "not_completed": "D"},
    "quota_base": "rated",
    "quota_percent": Decimal(30),
    "quota_percent_exceptional": Decimal(40),
    "error_penalty_percent": Decimal(0),
    "delay_penalty_percent": Decimal(0),
    "disqualifiers": [],
}
HANOI_CRITERIA = [
    ("general", "I.1", "Phẩm chất chính trị, đạo đức, lối sống", 5),
    ("general", "I.2", "Ý thức tổ chức kỷ luật; chấp hành nội quy, quy chế, thời giờ làm việc", 10),
    ("general", "I.3", "Tác phong, lề lối làm việc; thái độ phục vụ nhân dân", 5),
    ("tasks", "II.1", "Khối lượng, chất lượng, tiến độ nhiệm vụ theo kế hoạch công tác tháng", 50),
    ("tasks", "II.2", "Giải quyết hồ sơ, công việc đúng hạn; không để chậm muộn, sai sót", 20),
    ("bonus", "III", "Điểm thưởng: vượt kế hoạch, sáng kiến, được biểu dương, khen thưởng", 10),
]

DECREE_335 = {
    "code": "ND-335-2026",
    "name": "Đánh giá, xếp loại chất lượng theo Nghị định 335/2025/NĐ-CP",
    "kind": "decree_335",
    "legal_basis": "Nghị định 335/2025/NĐ-CP (áp dụng từ ngày 01/01/2026)",
    "valid_from": dt.date(2026, 1, 1),
    "excellent_from": Decimal(90),
    "good_from": Decimal(70),
    "completed_from": Decimal(50),
    "grade_labels": {},
    "quota_base": "good",
    "quota_percent": Decimal(20),
    "quota_percent_exceptional": Decimal(20),
    "error_penalty_percent": Decimal(25),
    "delay_penalty_percent": Decimal(25),
    "disqualifiers": [
        {"code": "degradation", "name": "Suy thoái về tư tưởng chính trị, đạo đức, lối sống"},
        {
            "code": "discipline",
            "name": "Bị kỷ luật từ khiển trách trở lên do vi phạm khi thực thi công vụ trong năm",
        },
        {
            "code": "leader_corruption",
            "name": "Người đứng đầu để xảy ra tham nhũng, lãng phí tại đơn vị được giao quản lý",
        },
    ],
}
DECREE_335_CRITERIA = [
    ("general", "1", "Chính trị, tư tưởng, đạo đức, lối sống, văn hóa công vụ, kỷ luật", 6),
    ("general", "2", "Năng lực chuyên môn, nghiệp vụ", 6),
    ("general", "3", "Tinh thần trách nhiệm", 6),
    ("general", "4", "Thái độ phục vụ người dân, doanh nghiệp", 6),
    ("general", "5", "Đổi mới, sáng tạo, dám nghĩ, dám làm", 6),
    (
        "tasks",
        "6",
        "Kết quả thực hiện nhiệm vụ: số lượng, chất lượng, tiến độ sản phẩm/công việc chuẩn",
        70,
    ),
]


def seed(apps: Any, schema_editor: Any) -> None:
    Scheme = apps.get_model("evaluation", "Scheme")
    Criterion = apps.get_model("evaluation", "Criterion")
    for data, criteria in ((HANOI, HANOI_CRITERIA), (DECREE_335, DECREE_335_CRITERIA)):
        scheme, created = Scheme.objects.get_or_create(code=data["code"], defaults=data)
        if not created:
            continue
        for order, (group, code, name, points) in enumerate(criteria, start=1):
            Criterion.objects.create(
                scheme=scheme,
                group=group,
                code=code,
                name=name,
                max_points=Decimal(points),
                order=order,
            )


def unseed(apps: Any, schema_editor: Any) -> None:
    Scheme = apps.get_model("evaluation", "Scheme")
    Scheme.objects.filter(code__in=[HANOI["code"], DECREE_335["code"]], cycles__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
