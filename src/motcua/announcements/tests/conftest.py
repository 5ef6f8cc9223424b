"""A small organisation for the announcements tests.

A province P with two communes: A (where the leader and the evaluator
work) and B (the sibling, out of A's reach); a department D below A.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from motcua.accounts.models import Officer, Unit
from motcua.accounts.tests.factories import OfficerFactory, UnitFactory


@dataclass
class Org:
    province: Unit
    a: Unit
    d: Unit
    b: Unit
    leader: Officer
    evaluator: Officer
    counter_a: Officer
    specialist_a: Officer
    specialist_d: Officer
    counter_b: Officer
    leader_b: Officer


@pytest.fixture
def org(db: None) -> Org:
    province = UnitFactory(province=True)
    a = UnitFactory(parent=province, name="Phường Long Biên")
    b = UnitFactory(parent=province, name="Phường Bồ Đề")
    d = UnitFactory(department=True, parent=a, name="Phòng Văn hóa - Xã hội")
    return Org(
        province=province,
        a=a,
        d=d,
        b=b,
        leader=OfficerFactory(unit=a, leader=True, user__full_name="Lê Văn Chủ"),
        evaluator=OfficerFactory(unit=a, evaluator=True, user__full_name="Phạm Thị Nội"),
        counter_a=OfficerFactory(unit=a, counter=True, user__full_name="Nguyễn Thị Lan"),
        specialist_a=OfficerFactory(unit=a, specialist=True, user__full_name="Trần Văn Bình"),
        specialist_d=OfficerFactory(unit=d, specialist=True, user__full_name="Đỗ Thu Hà"),
        counter_b=OfficerFactory(unit=b, counter=True, user__full_name="Vũ Minh Long"),
        leader_b=OfficerFactory(unit=b, leader=True, user__full_name="Bùi Quang Nam"),
    )
