"""Choices for the organisation and its people."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    """What an organisational unit is; the tree may nest them to any depth."""

    PROVINCE = "province", _("Tỉnh, thành phố trực thuộc trung ương")
    # Abolished on 1 July 2025; kept for history and for older set-ups.
    DISTRICT = "district", _("Cấp huyện (quận, huyện, thị xã, thành phố thuộc tỉnh)")
    COMMUNE = "commune", _("Cấp xã (xã, phường, đặc khu)")
    DEPARTMENT = "department", _("Cơ quan chuyên môn (sở, phòng, ban)")
    SERVICE_CENTRE = "service_centre", _("Trung tâm Phục vụ hành chính công / Bộ phận Một cửa")
    BRANCH = "branch", _("Chi nhánh, điểm phục vụ hành chính công")
    AGENCY = "agency", _("Cơ quan khác (ngành dọc, cơ quan phối hợp)")


class SuccessionKind(models.TextChoices):
    """How a successor took over from a predecessor (R33)."""

    FULL = "full", _("Sáp nhập toàn bộ")
    PARTIAL = "partial", _("Sáp nhập một phần")
    RENAME = "rename", _("Đổi tên")


class UserKind(models.TextChoices):
    OFFICER = "officer", _("Cán bộ, công chức")
    CITIZEN = "citizen", _("Người dân, doanh nghiệp")


class StaffCategory(models.TextChoices):
    """The legal category of a public servant."""

    CADRE = "cadre", _("Cán bộ")
    CIVIL_SERVANT = "civil_servant", _("Công chức")
    PUBLIC_EMPLOYEE = "public_employee", _("Viên chức")
    WORKER = "worker", _("Người lao động")


class Role(models.TextChoices):
    """What an officer does in motcua; one officer may hold several roles."""

    COUNTER_OFFICER = "counter_officer", _("Cán bộ tiếp nhận và trả kết quả")
    SPECIALIST = "specialist", _("Chuyên viên xử lý")
    HEAD = "head", _("Trưởng, phó phòng")
    LEADER = "leader", _("Lãnh đạo UBND")
    INSPECTOR = "inspector", _("Cán bộ kiểm tra công vụ")
    EVALUATOR = "evaluator", _("Cán bộ Nội vụ (đánh giá)")
    ADMINISTRATOR = "administrator", _("Quản trị hệ thống")


# Kinds that are levels of local government (as opposed to bodies inside one).
ADMINISTRATIVE_KINDS = frozenset({UnitKind.PROVINCE, UnitKind.DISTRICT, UnitKind.COMMUNE})
